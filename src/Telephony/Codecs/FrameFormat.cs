namespace Aicc.Telephony.Codecs;

/// <summary>
/// The one audio format the media engine moves between stages: PCM16 mono at 8 kHz in 20 ms
/// frames. Fixing it keeps every buffer the same size (pooled, never resized) and matches the
/// default G.711 packetization (RFC 3551 §4.5: 20 ms, 160 samples).
/// </summary>
public static class FrameFormat
{
    /// <summary>Samples per second.</summary>
    public const int SampleRate = 8000;

    /// <summary>Frame duration in milliseconds.</summary>
    public const int FrameMilliseconds = 20;

    /// <summary>Samples in one frame (and RTP timestamp units per G.711 packet).</summary>
    public const int SamplesPerFrame = SampleRate * FrameMilliseconds / 1000;
}
