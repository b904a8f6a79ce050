using System.Net;
using System.Threading.Channels;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.CallControl;

/// <summary>
/// Where an originated call goes out: the trunk's signalling address and the number dialled
/// there, the caller ID presented (From and P-Asserted-Identity), and the trunk's credentials
/// when it challenges our INVITEs.
/// </summary>
public sealed record OriginateRequest(
    string Destination,
    IPEndPoint Trunk,
    string CallerId,
    string? CallerName = null,
    TimeSpan? RingTimeout = null,
    bool UseTcp = false,
    string? TrunkDomain = null,
    TrunkCredentials? Credentials = null);

/// <summary>A username and password the trunk accepts (Digest, RFC 3261 §22).</summary>
public sealed record TrunkCredentials(string User, string Password);

/// <summary>How to collect digits: stop at <paramref name="MaxDigits"/>, at a terminator, or when the time runs out.</summary>
public sealed record DigitCollection(int MaxDigits, TimeSpan FirstDigitTimeout, TimeSpan InterDigitTimeout, char? Terminator = '#');

/// <summary>What a finished recording holds.</summary>
public sealed record RecordingResult(string Path, TimeSpan Duration);

/// <summary>A recording in progress; stop it to close the WAV file.</summary>
public interface ICallRecording : IAsyncDisposable
{
    string Path { get; }

    Task<RecordingResult> StopAsync();
}

/// <summary>
/// The call-control port: what the platform (src/Handlers, the robot, the agent desktop) can do
/// with phone calls, and what it hears back, without any SIP or RTP type crossing it. The SIP
/// implementation is <see cref="SipCallControl"/>; anything else that can place and carry calls
/// (a WebRTC gateway, a test double in handlers' own tests) can stand behind the same port.
/// </summary>
public interface ICallControl : IAsyncDisposable
{
    /// <summary>Every happening on every leg, in order per leg, on one bounded channel.</summary>
    ChannelReader<CallEvent> Events { get; }

    /// <summary>Places a call through a trunk; returns its leg at once, the outcome arrives as events.</summary>
    Task<CallLegId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken = default);

    /// <summary>Calls an agent's softphone at the contact it registered for <paramref name="addressOfRecord"/> (sip:user@tenant-domain).</summary>
    Task<CallLegId> CallRegisteredAsync(string addressOfRecord, string callerId, string? callerName = null, TimeSpan? ringTimeout = null);

    /// <summary>Alerts the caller of an inbound leg (180 Ringing).</summary>
    Task RingAsync(CallLegId leg);

    /// <summary>Answers an inbound leg: negotiates media and starts its RTP session.</summary>
    Task AnswerAsync(CallLegId leg, CancellationToken cancellationToken = default);

    /// <summary>Refuses an inbound leg that was not answered.</summary>
    Task RejectAsync(CallLegId leg, RejectCause cause);

    /// <summary>Ends a leg (BYE when connected, CANCEL while an originated call still rings); <paramref name="reason"/> is reported in Hungup.</summary>
    Task HangUpAsync(CallLegId leg, CallCloseReason reason = CallCloseReason.Normal);

    /// <summary>Connects two answered legs so each hears the other, until either ends or <see cref="UnbridgeAsync"/>.</summary>
    Task BridgeAsync(CallLegId a, CallLegId b);

    /// <summary>Separates a bridged leg from its partner; both stay up.</summary>
    Task UnbridgeAsync(CallLegId leg);

    /// <summary>
    /// Attaches <paramref name="monitor"/> (an answered leg, e.g. a supervisor's phone) to the bridge
    /// <paramref name="agent"/> is in: listen hears both parties silently, whisper is heard by the
    /// agent only, barge by both. Called again for the same legs it changes the mode. The monitor
    /// leaves when it ends, when <see cref="StopMonitorAsync"/> is called, or when the bridge ends.
    /// </summary>
    Task MonitorAsync(CallLegId agent, CallLegId monitor, MonitorMode mode);

    /// <summary>Detaches a monitoring leg; the bridge carries on as before it joined and the leg stays up.</summary>
    Task StopMonitorAsync(CallLegId monitor);

    /// <summary>Plays a WAV file to a leg; cancelling <paramref name="stop"/> (barge-in) ends it at once.</summary>
    Task<PlaybackResult> PlayFileAsync(CallLegId leg, string wavPath, CancellationToken stop = default);

    /// <summary>Plays PCM16 8 kHz mono from a stream (TTS) as it arrives; cancelling <paramref name="stop"/> ends it at once.</summary>
    Task<PlaybackResult> PlayStreamAsync(CallLegId leg, Stream pcm16, CancellationToken stop = default);

    /// <summary>Records what the party on a leg says, to a WAV file.</summary>
    Task<ICallRecording> RecordLegAsync(CallLegId leg, string wavPath);

    /// <summary>Records both parties of a bridge mixed into one WAV file.</summary>
    Task<ICallRecording> RecordBridgeAsync(CallLegId leg, string wavPath);

    /// <summary>Collects DTMF digits (RFC 4733 or SIP INFO) as <paramref name="collection"/> says; returns what arrived.</summary>
    Task<string> CollectDigitsAsync(CallLegId leg, DigitCollection collection, CancellationToken cancellationToken = default);

    /// <summary>Sends DTMF digits to the party as RFC 4733 events.</summary>
    Task SendDtmfAsync(CallLegId leg, string digits);

    /// <summary>Asks the party's phone to call <paramref name="target"/> instead (REFER, RFC 3515); true when it accepted.</summary>
    Task<bool> BlindTransferAsync(CallLegId leg, string target, CancellationToken cancellationToken = default);

    /// <summary>The party's audio as 20 ms PCM frames (for ASR); the reader owns and disposes each frame.</summary>
    ChannelReader<AudioFrame> InboundAudio(CallLegId leg);

    /// <summary>
    /// The answered leg's media endpoint, for a component that streams audio frame by frame and
    /// stops it itself (the robot's pipeline: TTS by sentence, barge-in discarding queued frames).
    /// Its DTMF comes as <see cref="CallEvent.DtmfReceived"/>, never from the media leg's own events.
    /// </summary>
    MediaLeg Media(CallLegId leg);
}
