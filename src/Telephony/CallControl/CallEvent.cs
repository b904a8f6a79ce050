namespace Aicc.Telephony.CallControl;

/// <summary>Identifies one call leg inside a call-control instance (opaque to callers).</summary>
public readonly record struct CallLegId(long Value)
{
    public override string ToString() => $"leg-{Value}";
}

/// <summary>How a DTMF digit reached us.</summary>
public enum DtmfTransport
{
    /// <summary>RFC 4733 telephone-event packets in the RTP stream.</summary>
    Rfc4733,

    /// <summary>A SIP INFO request (application/dtmf-relay or application/dtmf).</summary>
    SipInfo,
}

/// <summary>
/// Something that happened to a call leg, as the rest of the platform needs to know it. A closed
/// hierarchy of plain values (no SIP types) so src/Handlers switch over it and append domain events.
/// </summary>
public abstract record CallEvent(CallLegId Leg, DateTimeOffset At)
{
    /// <summary>A new inbound call waits to be answered or rejected.</summary>
    public sealed record Incoming(CallLegId Leg, string Caller, string? CallerName, string Called, DateTimeOffset At) : CallEvent(Leg, At);

    /// <summary>The called party is alerted (180) or sends early media (183).</summary>
    public sealed record Ringing(CallLegId Leg, bool EarlyMedia, DateTimeOffset At) : CallEvent(Leg, At);

    /// <summary>The leg is connected and its media runs; <paramref name="Codec"/> is what was agreed.</summary>
    public sealed record Answered(CallLegId Leg, string Codec, DateTimeOffset At) : CallEvent(Leg, At);

    /// <summary>A DTMF digit from the party on this leg.</summary>
    public sealed record DtmfReceived(CallLegId Leg, char Digit, int DurationMs, DtmfTransport Transport, DateTimeOffset At) : CallEvent(Leg, At);

    /// <summary>The peer accepted (or refused) our blind transfer request.</summary>
    public sealed record TransferResult(CallLegId Leg, bool Accepted, string Target, DateTimeOffset At) : CallEvent(Leg, At);

    /// <summary>
    /// How the call the transferee placed for our transfer is going (its NOTIFYs, RFC 3515 §2.4.5):
    /// <paramref name="TargetStatus"/> is the status the transfer target answered, <paramref name="Final"/>
    /// true once it is a final one.
    /// </summary>
    public sealed record TransferProgress(CallLegId Leg, int TargetStatus, bool Final, DateTimeOffset At) : CallEvent(Leg, At)
    {
        public bool TargetAnswered => TargetStatus is >= 200 and < 300;
    }

    /// <summary>
    /// The leg is over. <paramref name="ProtocolCode"/> is the signalling status behind the reason
    /// (for diagnostics only), <paramref name="Detail"/> a human-readable explanation.
    /// </summary>
    public sealed record Hungup(CallLegId Leg, CallCloseReason Reason, CallEndedBy By, int? ProtocolCode, string Detail, DateTimeOffset At) : CallEvent(Leg, At);
}
