using System.Net;
using Aicc.Telephony.Codecs;

namespace Aicc.Telephony.Rtp;

/// <summary>
/// What an RTP session needs from the offer/answer: the codec and its payload type, the
/// telephone-event type, where the peer said to send (before symmetric RTP latches onto where
/// its packets really come from), and whether we send and/or receive (hold).
/// </summary>
public sealed record RtpSessionParameters(
    AudioCodec Codec,
    int PayloadType,
    int? TelephoneEventPayloadType,
    IPEndPoint? RemoteRtp,
    IPEndPoint? RemoteRtcp,
    bool Send = true,
    bool Receive = true)
{
    /// <summary>Parameters from a negotiated SDP exchange.</summary>
    public static RtpSessionParameters From(Sdp.NegotiatedAudio audio) => new(
        audio.Codec,
        audio.CodecPayloadType,
        audio.TelephoneEventPayloadType,
        audio.RemoteRtp,
        audio.RemoteRtcp,
        Sdp.MediaDirections.Sends(audio.LocalDirection),
        Sdp.MediaDirections.Receives(audio.LocalDirection));
}

/// <summary>Tuning of one RTP session.</summary>
public sealed record RtpSessionOptions
{
    /// <summary>Jitter buffer prefill in 20 ms frames (latency added to absorb network jitter).</summary>
    public int JitterDepth { get; init; } = 3;

    /// <summary>Frames the jitter buffer holds at most before shedding the oldest.</summary>
    public int JitterMaxLatency { get; init; } = 10;

    /// <summary>Mean RTCP report interval; RFC 3550 §6.2 recommends at least 5 s.</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the latched source must be silent before packets from elsewhere may take over.</summary>
    public TimeSpan RelatchAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock for NTP timestamps and arrival times.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The SDES CNAME (RFC 3550 §6.5.1); a random one per session when null.</summary>
    public string? CanonicalName { get; init; }
}

/// <summary>A snapshot of one session's counters for operators and tests.</summary>
public sealed record RtpSessionStatistics(
    long PacketsSent,
    long OctetsSent,
    long PacketsReceived,
    long PacketsInvalid,
    int CumulativeLost,
    uint JitterUnits,
    long FramesPlayed,
    long FramesConcealed,
    long DroppedLate,
    long DroppedDuplicate,
    long DroppedForLatency,
    long SilenceDrained,
    long DtmfReceived,
    long RtcpSent,
    long RtcpReceived,
    IPEndPoint? LatchedRemote,
    RtcpReportBlock? RemoteReport,
    TimeSpan? RoundTrip)
{
    /// <summary>Interarrival jitter in milliseconds (timestamp units at 8 kHz).</summary>
    public double JitterMs => JitterUnits / 8.0;
}
