namespace Aicc.Telephony.Rtp;

/// <summary>What the statistics made of one arriving packet (RFC 3550 §A.1).</summary>
public enum SequenceVerdict
{
    /// <summary>Counted: in order, a small jump forward, or a reordered packet within the window.</summary>
    Valid,

    /// <summary>Still in probation (§A.1 MIN_SEQUENTIAL); the source is not yet trusted.</summary>
    Probation,

    /// <summary>A jump too big to be loss or misordering; a second one in sequence restarts the source.</summary>
    BadJump,
}

/// <summary>
/// Per-source receive statistics exactly as RFC 3550 Appendix A computes them: extended highest
/// sequence with wrap-around cycles and probation (§A.1), cumulative and interval fraction lost
/// (§A.3), and interarrival jitter (§A.8). They fill the report blocks of our SR/RR (§6.4.1) and
/// tell operators how bad a caller's network is. Not thread-safe: one receive loop owns it.
/// </summary>
public sealed class RtpReceiveStatistics
{
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int MinSequential = 2;
    private const uint SequenceModulus = 1 << 16;

    private ushort _maxSeq;
    private uint _cycles;
    private uint _baseSeq;
    private uint _badSeq = SequenceModulus + 1;
    private int _probation;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _transit;
    private bool _hasTransit;
    private double _jitter;

    /// <summary>Creates statistics for a source whose first packet has this sequence number.</summary>
    public RtpReceiveStatistics(uint ssrc, ushort firstSequence)
    {
        Ssrc = ssrc;
        Init(firstSequence);
        _maxSeq = (ushort)(firstSequence - 1);
        _probation = MinSequential;
    }

    public uint Ssrc { get; }

    /// <summary>Packets counted (duplicates included, as §A.3 notes).</summary>
    public long Received => _received;

    /// <summary>The extended highest sequence number received (§6.4.1): cycles in the top 16 bits.</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSeq;

    /// <summary>Packets expected so far (§A.3).</summary>
    public long Expected => (long)ExtendedHighestSequence - _baseSeq + 1;

    /// <summary>Cumulative number of packets lost (§A.3), clamped to the 24-bit signed report field.</summary>
    public int CumulativeLost => (int)Math.Clamp(Expected - _received, -0x800000, 0x7FFFFF);

    /// <summary>Interarrival jitter in timestamp units (§A.8), as the report field carries it.</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>
    /// Counts a packet (§A.1 update_seq) and updates jitter (§A.8) from its RTP timestamp and
    /// its arrival time expressed in the same clock units.
    /// </summary>
    public SequenceVerdict Update(ushort seq, uint rtpTimestamp, long arrivalInClockUnits)
    {
        var verdict = UpdateSequence(seq);
        if (verdict == SequenceVerdict.Valid)
        {
            // §A.8: D = (Rj - Ri) - (Sj - Si), J += (|D| - J) / 16.
            var transit = arrivalInClockUnits - rtpTimestamp;
            if (_hasTransit)
            {
                var d = Math.Abs(transit - _transit);
                // A timestamp wrap shows up as a huge transit step; it is not jitter.
                if (d < int.MaxValue)
                {
                    _jitter += (d - _jitter) / 16.0;
                }
            }
            _transit = transit;
            _hasTransit = true;
        }
        return verdict;
    }

    /// <summary>
    /// The fraction lost since the previous call, as an 8-bit fixed point number (§A.3); call once
    /// per report sent. Negative loss (duplicates) reports 0.
    /// </summary>
    public byte TakeFractionLost()
    {
        var expected = Expected;
        var expectedInterval = expected - _expectedPrior;
        _expectedPrior = expected;
        var receivedInterval = _received - _receivedPrior;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval == 0 || lostInterval <= 0)
        {
            return 0;
        }
        return (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
    }

    private void Init(ushort seq)
    {
        _baseSeq = seq;
        _maxSeq = seq;
        _badSeq = SequenceModulus + 1;
        _cycles = 0;
        _received = 0;
        _receivedPrior = 0;
        _expectedPrior = 0;
    }

    private SequenceVerdict UpdateSequence(ushort seq)
    {
        var udelta = (ushort)(seq - _maxSeq);
        if (_probation > 0)
        {
            // §A.1: a source is valid once MIN_SEQUENTIAL packets arrived in sequence.
            if (seq == (ushort)(_maxSeq + 1))
            {
                _probation--;
                _maxSeq = seq;
                if (_probation == 0)
                {
                    Init(seq);
                    _received++;
                    return SequenceVerdict.Valid;
                }
            }
            else
            {
                _probation = MinSequential - 1;
                _maxSeq = seq;
            }
            return SequenceVerdict.Probation;
        }
        if (udelta < MaxDropout)
        {
            if (seq < _maxSeq)
            {
                _cycles += SequenceModulus;
            }
            _maxSeq = seq;
        }
        else if (udelta <= SequenceModulus - MaxMisorder)
        {
            if (seq == _badSeq)
            {
                // Two sequential packets after a big jump: the source restarted (§A.1).
                Init(seq);
            }
            else
            {
                _badSeq = (uint)((seq + 1) & (SequenceModulus - 1));
                return SequenceVerdict.BadJump;
            }
        }
        _received++;
        return SequenceVerdict.Valid;
    }
}
