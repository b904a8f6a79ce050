using System.Buffers.Binary;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Tests.Audio;

public sealed class AudioTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aicc-audio-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void PooledSamplesGrowPastTheirFirstArrayAndKeepEverySampleInOrder()
    {
        using var samples = new PooledSamples(16);
        for (short i = 0; i < 1000; i++)
        {
            samples.Append([i, (short)-i]);
        }
        Resampler.Interpolate2([100, 200], samples.Extend(4));

        Assert.Equal(2004, samples.Count);
        Assert.Equal(new short[] { 999, -999, 100, 150, 200, 200 }, samples.Span[^6..].ToArray());
        Assert.Equal(new short[] { 0, 0, 1, -1 }, samples.Span[..4].ToArray());
        samples.Clear();
        Assert.Equal(0, samples.Count);
    }

    [Fact]
    public void PooledSamplesRefuseUseAfterDispose()
    {
        var samples = new PooledSamples(16);
        samples.Dispose();
        Assert.Throws<ObjectDisposedException>(() => samples.Append([1]));
    }

    [Fact]
    public void InterpolatingIntoASpanMatchesTheArrayForm()
    {
        short[] input = [0, 1000, -1000, 32767, -32768];
        var into = new short[input.Length * 2];
        Resampler.Interpolate2(input, into);
        Assert.Equal(Resampler.Interpolate2(input), into);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Interpolate2(input, new short[input.Length]));
    }

    [Fact]
    public void WavRoundTripsAt8kMono()
    {
        var path = Path.Combine(_folder, "tone.wav");
        var tone = ToneGenerator.Generate(440, TimeSpan.FromMilliseconds(500));

        WavFile.Write(path, tone);
        var read = WavFile.Read(path);

        Assert.Equal(8000, read.SampleRate);
        Assert.Equal(tone, read.Samples);
        Assert.Equal(44 + (2 * 4000), new FileInfo(path).Length);
        var header = File.ReadAllBytes(path).AsSpan(0, 44);
        Assert.Equal(36u + 8000, BinaryPrimitives.ReadUInt32LittleEndian(header[4..]));
        Assert.Equal(8000u, BinaryPrimitives.ReadUInt32LittleEndian(header[40..]));
    }

    [Fact]
    public void A16kStereoFileIsReadAsAn8kMonoToneOfTheSameFrequency()
    {
        var left = ToneGenerator.Generate(1000, TimeSpan.FromSeconds(1), 8000, 16000);
        using var memory = new MemoryStream();
        var header = new byte[44];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(36 + (left.Length * 4)));
        "WAVEfmt "u8.CopyTo(header.AsSpan(8));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), 16000);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), 64000);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), 4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), 16);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), (uint)(left.Length * 4));
        memory.Write(header);
        var frame = new byte[4];
        foreach (var s in left)
        {
            BinaryPrimitives.WriteInt16LittleEndian(frame, s);
            BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(2), s);
            memory.Write(frame);
        }
        memory.Position = 0;

        var audio = WavFile.Read(memory);

        Assert.Equal(8000, audio.SampleRate);
        Assert.Equal(8000, audio.Samples.Length);
        Assert.Equal(1000, Goertzel.DominantFrequency(audio.Samples));
        Assert.True(Goertzel.PurityAt(audio.Samples, 1000) > 0.9);
    }

    [Fact]
    public void DownsamplingFiltersWhatCannotExistAt8k()
    {
        // 6 kHz at 16 kHz would alias to 2 kHz at 8 kHz without the low-pass.
        var high = new PcmAudio(ToneGenerator.Generate(6000, TimeSpan.FromSeconds(1), 8000, 16000), 16000);
        var low = new PcmAudio(ToneGenerator.Generate(1000, TimeSpan.FromSeconds(1), 8000, 16000), 16000);
        var highOut = Resampler.Convert(high, 8000).Samples;
        var lowOut = Resampler.Convert(low, 8000).Samples;
        var rms = (short[] s) => Math.Sqrt(s.Average(x => (double)x * x));
        Assert.True(rms(highOut) < rms(lowOut) / 5, $"aliased energy {rms(highOut)} vs passband {rms(lowOut)}");
    }

    [Fact]
    public void UpsamplingKeepsTheFrequencyAndDoublesTheLength()
    {
        var tone = new PcmAudio(ToneGenerator.Generate(700, TimeSpan.FromSeconds(1)), 8000);
        var up = Resampler.Convert(tone, 16000);
        Assert.Equal(16000, up.Samples.Length);
        Assert.Equal(700, Goertzel.DominantFrequency(up.Samples, sampleRate: 16000));
        var odd = Resampler.Convert(tone, 11025);
        Assert.Equal(11025, odd.Samples.Length);
        Assert.Equal(700, Goertzel.DominantFrequency(odd.Samples, sampleRate: 11025));
    }

    [Fact]
    public void StreamingWriterPatchesTheSizesOnDispose()
    {
        var path = Path.Combine(_folder, "rec.wav");
        var generator = new ToneGenerator(300);
        var frame = new short[160];
        using (var writer = new WavWriter(File.Create(path)))
        {
            for (var i = 0; i < 50; i++)
            {
                generator.Fill(frame);
                writer.Write(frame);
            }
            Assert.Equal(8000, writer.SamplesWritten);
        }
        var read = WavFile.Read(path);
        Assert.Equal(8000, read.Samples.Length);
        Assert.Equal(300, Goertzel.DominantFrequency(read.Samples));
    }

    [Theory]
    [InlineData(new byte[] { 1, 2, 3 }, "not a RIFF/WAVE")]
    [InlineData(new byte[] { 0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x41, 0x56, 0x45 }, "no data chunk")]
    public void MalformedFilesAreTypedErrors(byte[] bytes, string reason)
    {
        var error = Assert.Throws<WavFormatException>(() => WavFile.Read(new MemoryStream(bytes)));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void EightBitFilesAreRefused()
    {
        var path = Path.Combine(_folder, "8bit.wav");
        WavFile.Write(path, new short[10]);
        var bytes = File.ReadAllBytes(path);
        bytes[34] = 8;
        Assert.Contains("16-bit PCM", Assert.Throws<WavFormatException>(() => WavFile.Read(new MemoryStream(bytes))).Message);
    }

    [Fact]
    public void GoertzelSeparatesTonesAndSilence()
    {
        var mix = ToneGenerator.Generate(697, TimeSpan.FromMilliseconds(100), 6000)
            .Zip(ToneGenerator.Generate(1209, TimeSpan.FromMilliseconds(100), 6000), (a, b) => (short)(a + b))
            .ToArray();
        Assert.True(Goertzel.Power(mix, 697) > 100 * Goertzel.Power(mix, 941));
        Assert.True(Goertzel.Power(mix, 1209) > 100 * Goertzel.Power(mix, 1477));
        Assert.Equal(0, Goertzel.PurityAt(new short[800], 697));
        var pure = ToneGenerator.Generate(1000, TimeSpan.FromMilliseconds(200));
        Assert.InRange(Goertzel.PurityAt(pure, 1000), 0.95, 1.0);
        Assert.True(Goertzel.PurityAt(pure, 1500) < 0.01);
    }
}
