using System.Buffers.Binary;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// What a customer on hold hears: an endless soft two-note chime (PCM16, 8 kHz) with pauses,
/// so they know the line is alive without a music file to license or ship. Playback paces the
/// reads, and stopping playback ends it.
/// </summary>
public sealed class AgentHoldMusic : Stream
{
    private const int SampleRate = 8000;
    private const int CycleSamples = SampleRate * 3;
    private long _sample;

    /// <summary>The chime's notes (Hz); the console tests listen for the first.</summary>
    public const double FirstNoteHz = 523.0;

    public const double SecondNoteHz = 659.0;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _sample * 2;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var samples = buffer.Length / 2;
        for (var i = 0; i < samples; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(buffer[(2 * i)..], Next());
        }

        return samples * 2;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    private short Next()
    {
        var position = _sample++ % CycleSamples;
        // 0.6 s first note, 0.6 s second note, 1.8 s silence.
        var note = position switch
        {
            < 4800 => FirstNoteHz,
            < 9600 => SecondNoteHz,
            _ => 0,
        };
        return note == 0 ? (short)0 : (short)(6000 * Math.Sin(2 * Math.PI * note * _sample / SampleRate));
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
