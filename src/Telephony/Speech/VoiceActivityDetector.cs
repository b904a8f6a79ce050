namespace Aicc.Telephony.Speech;

/// <summary>What one 20 ms frame changed in the caller's speech state.</summary>
public enum VoiceActivity
{
    /// <summary>Nothing changed: still silent, or still speaking.</summary>
    None,

    /// <summary>Speech began (after the onset run): stop a barge-in-able prompt.</summary>
    SpeechStarted,

    /// <summary>Speech ended (after the hangover): the caller's turn is over.</summary>
    SpeechEnded,
}

/// <summary>Tuning of <see cref="VoiceActivityDetector"/>; the defaults suit G.711 calls.</summary>
public sealed record VadOptions
{
    /// <summary>Consecutive speech frames before speech counts as started (barge-in must not fire on a click).</summary>
    public int OnsetFrames { get; init; } = 3;

    /// <summary>Consecutive non-speech frames before the turn ends: pauses between words are shorter.</summary>
    public int HangoverFrames { get; init; } = 30;

    /// <summary>How far above the tracked noise floor a frame must be to be speech, in dB.</summary>
    public double MarginDb { get; init; } = 12;

    /// <summary>Below this level nothing is speech, however quiet the line.</summary>
    public double AbsoluteFloorDbfs { get; init; } = -50;

    /// <summary>Zero-crossing rate (per sample) above which a frame of moderate energy is hiss or fricative noise, not voice.</summary>
    public double NoiseZeroCrossingRate { get; init; } = 0.4;

    /// <summary>Above the floor by this much a frame is speech whatever its zero crossings (loud fricatives).</summary>
    public double LoudMarginDb { get; init; } = 25;
}

/// <summary>
/// Energy plus zero-crossing voice activity detector over 20 ms frames, with an onset run and a
/// hangover. It is the minimum the issue asks for and costs nothing per frame, so it can run on
/// every call; the noise floor adapts (falls at once, rises slowly and only on non-speech
/// frames) so steady line noise does not count as speech and a quiet line does not hide soft
/// speech. Stateful per call, not thread-safe.
/// </summary>
public sealed class VoiceActivityDetector(VadOptions? options = null)
{
    private readonly VadOptions _options = options ?? new VadOptions();
    private const double QuietestFloorDb = -75;
    private double _noiseDb = double.NaN;
    private int _speechRun;
    private int _silenceRun;

    /// <summary>True between <see cref="VoiceActivity.SpeechStarted"/> and <see cref="VoiceActivity.SpeechEnded"/>.</summary>
    public bool InSpeech { get; private set; }

    /// <summary>The current noise floor estimate in dBFS.</summary>
    public double NoiseFloorDbfs => _noiseDb;

    /// <summary>Frames processed since the current speech began (0 when silent).</summary>
    public int SpeechFrames { get; private set; }

    /// <summary>Classifies one frame and reports a change of state.</summary>
    public VoiceActivity Process(ReadOnlySpan<short> frame)
    {
        var level = LevelDbfs(frame);
        if (double.IsNaN(_noiseDb))
        {
            // Calls open on the line's own noise (ringing is over, nobody speaks in the first
            // 20 ms), so the first frame is the best first guess of the floor.
            _noiseDb = Math.Max(QuietestFloorDb, level);
        }
        var zcr = ZeroCrossingRate(frame);
        var aboveFloor = level - _noiseDb;
        var speech = level > _options.AbsoluteFloorDbfs
            && (aboveFloor > _options.LoudMarginDb || (aboveFloor > _options.MarginDb && zcr < _options.NoiseZeroCrossingRate));

        if (!speech)
        {
            // Track the floor: fall quickly to quieter frames, creep up slowly to louder noise.
            _noiseDb = Math.Max(QuietestFloorDb, level < _noiseDb ? 0.7 * _noiseDb + 0.3 * level : 0.97 * _noiseDb + 0.03 * level);
        }

        if (InSpeech)
        {
            SpeechFrames++;
            _silenceRun = speech ? 0 : _silenceRun + 1;
            if (_silenceRun >= _options.HangoverFrames)
            {
                InSpeech = false;
                SpeechFrames = 0;
                _speechRun = 0;
                return VoiceActivity.SpeechEnded;
            }
            return VoiceActivity.None;
        }

        _speechRun = speech ? _speechRun + 1 : 0;
        if (_speechRun >= _options.OnsetFrames)
        {
            InSpeech = true;
            SpeechFrames = _speechRun;
            _silenceRun = 0;
            return VoiceActivity.SpeechStarted;
        }
        return VoiceActivity.None;
    }

    /// <summary>Forgets the current utterance but keeps the learned noise floor (a new turn on the same line).</summary>
    public void Reset()
    {
        InSpeech = false;
        SpeechFrames = 0;
        _speechRun = 0;
        _silenceRun = 0;
    }

    /// <summary>RMS level of a frame in dB relative to full scale.</summary>
    public static double LevelDbfs(ReadOnlySpan<short> frame)
    {
        if (frame.IsEmpty)
        {
            return -120;
        }
        double sum = 0;
        foreach (var s in frame)
        {
            sum += (double)s * s;
        }
        var rms = Math.Sqrt(sum / frame.Length);
        return rms < 1 ? -120 : 20 * Math.Log10(rms / 32768.0);
    }

    /// <summary>Sign changes per sample, ignoring the tiny values a quantiser dithers around zero.</summary>
    public static double ZeroCrossingRate(ReadOnlySpan<short> frame)
    {
        var crossings = 0;
        var previous = 0;
        foreach (var s in frame)
        {
            var sign = s > 16 ? 1 : s < -16 ? -1 : 0;
            if (sign != 0)
            {
                if (previous != 0 && sign != previous)
                {
                    crossings++;
                }
                previous = sign;
            }
        }
        return (double)crossings / Math.Max(1, frame.Length);
    }
}
