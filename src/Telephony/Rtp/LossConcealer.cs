namespace Aicc.Telephony.Rtp;

/// <summary>
/// Fills the hole a lost packet leaves (RFC 3550 leaves concealment to the receiver): the first
/// missing frames repeat the last good one at falling gain (3/4, 1/2, 1/4), then silence. Short
/// gaps stay inaudible to ASR and people; long ones fade instead of buzzing. Not thread-safe.
/// </summary>
public sealed class LossConcealer
{
    private readonly short[] _last;
    private int _lastLength;
    private int _consecutiveLost;

    public LossConcealer(int frameSamples = Codecs.FrameFormat.SamplesPerFrame)
    {
        _last = new short[frameSamples];
    }

    /// <summary>Frames concealed so far.</summary>
    public long Concealed { get; private set; }

    /// <summary>Remembers a good frame as the basis for concealing the next loss.</summary>
    public void Good(ReadOnlySpan<short> frame)
    {
        var n = Math.Min(frame.Length, _last.Length);
        frame[..n].CopyTo(_last);
        _lastLength = n;
        _consecutiveLost = 0;
    }

    /// <summary>Writes a concealment frame for one lost packet.</summary>
    public void Conceal(Span<short> frame)
    {
        Concealed++;
        _consecutiveLost++;
        var quarters = 4 - _consecutiveLost;
        if (quarters <= 0 || _lastLength == 0)
        {
            frame.Clear();
            return;
        }
        var n = Math.Min(frame.Length, _lastLength);
        for (var i = 0; i < n; i++)
        {
            frame[i] = (short)(_last[i] * quarters / 4);
        }
        frame[n..].Clear();
    }
}
