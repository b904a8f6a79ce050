using System.Buffers.Binary;

namespace Aicc.Telephony.Audio;

/// <summary>A WAV file we cannot read (not RIFF/WAVE, not 16-bit PCM, truncated chunks).</summary>
public sealed class WavFormatException(string message) : FormatException(message);

/// <summary>PCM16 mono audio with its sample rate.</summary>
public sealed record PcmAudio(short[] Samples, int SampleRate)
{
    public TimeSpan Duration => TimeSpan.FromSeconds((double)Samples.Length / SampleRate);
}

/// <summary>
/// RIFF/WAVE reading and writing for 16-bit PCM. Exists for prompts we play and recordings we
/// keep: the engine's format is 8 kHz mono, so reading converts stereo to mono and resamples
/// other rates to 8 kHz (<see cref="Resampler"/>); writing produces 8 kHz mono by default.
/// </summary>
public static class WavFile
{
    private const ushort PcmFormat = 1;
    private const ushort ExtensibleFormat = 0xFFFE;

    /// <summary>Reads a file and converts it to mono at <paramref name="targetRate"/> (null keeps the file's rate).</summary>
    public static PcmAudio Read(string path, int? targetRate = Codecs.FrameFormat.SampleRate)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, targetRate);
    }

    /// <summary>Reads WAV data from a stream.</summary>
    public static PcmAudio Read(Stream stream, int? targetRate = Codecs.FrameFormat.SampleRate)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var data = memory.GetBuffer().AsSpan(0, (int)memory.Length);
        if (data.Length < 12 || !data[..4].SequenceEqual("RIFF"u8) || !data[8..12].SequenceEqual("WAVE"u8))
        {
            throw new WavFormatException("not a RIFF/WAVE file");
        }
        var offset = 12;
        int? channels = null;
        var rate = 0;
        short[]? samples = null;
        while (offset + 8 <= data.Length)
        {
            var id = data.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(data[(offset + 4)..]);
            var body = offset + 8;
            // A streaming writer may leave the data size at 0 or 0xFFFFFFFF; take what is there.
            var available = (int)Math.Min(size, (uint)(data.Length - body));
            if (id.SequenceEqual("fmt "u8))
            {
                if (available < 16)
                {
                    throw new WavFormatException("fmt chunk too short");
                }
                var format = BinaryPrimitives.ReadUInt16LittleEndian(data[body..]);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(data[(body + 2)..]);
                rate = (int)BinaryPrimitives.ReadUInt32LittleEndian(data[(body + 4)..]);
                var bits = BinaryPrimitives.ReadUInt16LittleEndian(data[(body + 14)..]);
                if (format == ExtensibleFormat && available >= 26)
                {
                    format = BinaryPrimitives.ReadUInt16LittleEndian(data[(body + 24)..]);
                }
                if (format != PcmFormat || bits != 16)
                {
                    throw new WavFormatException($"only 16-bit PCM is supported (format {format}, {bits} bits)");
                }
                if (channels is < 1 or > 8 || rate is < 1000 or > 192000)
                {
                    throw new WavFormatException($"unsupported layout: {channels} channels at {rate} Hz");
                }
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (channels is null)
                {
                    throw new WavFormatException("data chunk before fmt chunk");
                }
                samples = ToMono(data.Slice(body, available), channels.Value);
            }
            offset = body + available + (available & 1); // chunks are word-aligned
        }
        if (samples is null)
        {
            throw new WavFormatException("no data chunk");
        }
        var audio = new PcmAudio(samples, rate);
        return targetRate is { } target && target != rate ? Resampler.Convert(audio, target) : audio;
    }

    /// <summary>Writes mono PCM16 samples as a complete WAV file.</summary>
    public static void Write(string path, ReadOnlySpan<short> samples, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        using var writer = new WavWriter(File.Create(path), sampleRate);
        writer.Write(samples);
    }

    internal static void WriteHeader(Span<byte> header, int sampleRate, uint dataBytes)
    {
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(header[8..]);
        "fmt "u8.CopyTo(header[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header[20..], PcmFormat);
        BinaryPrimitives.WriteUInt16LittleEndian(header[22..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)sampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], (uint)sampleRate * 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[32..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[34..], 16);
        "data"u8.CopyTo(header[36..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[40..], dataBytes);
    }

    private static short[] ToMono(ReadOnlySpan<byte> bytes, int channels)
    {
        var frames = bytes.Length / (2 * channels);
        var samples = new short[frames];
        for (var i = 0; i < frames; i++)
        {
            var sum = 0;
            for (var c = 0; c < channels; c++)
            {
                sum += BinaryPrimitives.ReadInt16LittleEndian(bytes[(2 * ((i * channels) + c))..]);
            }
            samples[i] = (short)(sum / channels);
        }
        return samples;
    }
}

/// <summary>
/// Writes a mono PCM16 WAV file incrementally (a call recording grows for as long as the call
/// lasts) and fixes the RIFF and data sizes when disposed.
/// </summary>
public sealed class WavWriter : IDisposable, IAsyncDisposable
{
    private const int HeaderLength = 44;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[4096];
    private bool _disposed;

    public WavWriter(Stream stream, int sampleRate = Codecs.FrameFormat.SampleRate)
    {
        if (!stream.CanSeek)
        {
            throw new ArgumentException("The stream must be seekable to patch the header.", nameof(stream));
        }
        _stream = stream;
        SampleRate = sampleRate;
        Span<byte> header = stackalloc byte[HeaderLength];
        WavFile.WriteHeader(header, sampleRate, 0);
        _stream.Write(header);
    }

    public int SampleRate { get; }

    public long SamplesWritten { get; private set; }

    public void Write(ReadOnlySpan<short> samples)
    {
        while (!samples.IsEmpty)
        {
            var n = Math.Min(samples.Length, _buffer.Length / 2);
            for (var i = 0; i < n; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_buffer.AsSpan(2 * i), samples[i]);
            }
            _stream.Write(_buffer, 0, 2 * n);
            SamplesWritten += n;
            samples = samples[n..];
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        var dataBytes = (uint)Math.Min(SamplesWritten * 2, uint.MaxValue - 36);
        Span<byte> header = stackalloc byte[HeaderLength];
        WavFile.WriteHeader(header, SampleRate, dataBytes);
        _stream.Seek(0, SeekOrigin.Begin);
        _stream.Write(header);
        _stream.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
