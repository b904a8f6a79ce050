using System.Net;

namespace Aicc.Telephony.Media;

/// <summary>
/// Something that happened on a leg's media that call control cares about. A closed hierarchy so
/// handlers switch over it exhaustively; the SIP layer and src/Handlers translate them into domain
/// commands (digits collected, media path confirmed).
/// </summary>
public abstract record MediaEvent(DateTimeOffset At)
{
    /// <summary>A DTMF digit arrived as an RFC 4733 event.</summary>
    public sealed record DtmfReceived(char Digit, int DurationMs, DateTimeOffset At) : MediaEvent(At);

    /// <summary>Symmetric RTP found where the peer's media really comes from (the media path works).</summary>
    public sealed record RemoteLatched(IPEndPoint Remote, DateTimeOffset At) : MediaEvent(At);
}

/// <summary>How a playback ended.</summary>
public sealed record PlaybackResult(bool Completed, TimeSpan Played)
{
    /// <summary>True when the stop token ended it early (barge-in, hang-up).</summary>
    public bool Stopped => !Completed;
}
