namespace Aicc.Telephony.CallControl;

/// <summary>
/// Why a call leg closed, in the vocabulary of seed 001's call record (close_type codes as
/// values), so src/Handlers can copy it into the domain's CloseReason without knowing SIP.
/// A is the caller's leg, B the called party's.
/// </summary>
public enum CallCloseReason
{
    Normal = 0,
    AUnreachable = 1,
    BUnreachable = 2,
    ABusy = 3,
    BBusy = 4,
    MaxDuration = 5,
    ChannelError = 6,
    NetworkError = 7,
    Other = 255,
}

/// <summary>Which party of the call a leg carries: A called us (inbound), B is who we called (originate).</summary>
public enum CallLegRole
{
    A,
    B,
}

/// <summary>Which side ended a leg.</summary>
public enum CallEndedBy
{
    Local,
    Remote,
}

/// <summary>
/// The mapping from SIP outcomes to close reasons, one pure function so it is tested on its own
/// and read in one place. Groups follow RFC 3398 §7.2.4.1's SIP-to-ISUP cause table: busy
/// (486, 600) and rejected (603) are busy; not found, gone, unavailable, timeout and address
/// incomplete mean the party could not be reached; server failures of the trunk and refused
/// media are channel errors; a gateway timeout or a dead transport is a network error.
/// </summary>
public static class CallCloseReasons
{
    /// <summary>The reason for a final failure response to an INVITE (status &gt;= 300).</summary>
    public static CallCloseReason FromFinalStatus(int status, CallLegRole role) => status switch
    {
        >= 200 and < 300 => CallCloseReason.Normal,
        486 or 600 or 603 => role == CallLegRole.A ? CallCloseReason.ABusy : CallCloseReason.BBusy,
        404 or 408 or 410 or 480 or 484 or 485 or 604 => Unreachable(role),
        // A CANCEL we asked for is an ordinary end of an unanswered attempt.
        487 => CallCloseReason.Normal,
        401 or 403 or 407 or 488 or 415 or 606 or 500 or 501 or 502 or 503 or 505 or 513 => CallCloseReason.ChannelError,
        504 => CallCloseReason.NetworkError,
        >= 300 and < 400 => CallCloseReason.Other,
        _ => CallCloseReason.Other,
    };

    /// <summary>A party that could not be reached, named by its leg.</summary>
    public static CallCloseReason Unreachable(CallLegRole role) => role == CallLegRole.A ? CallCloseReason.AUnreachable : CallCloseReason.BUnreachable;

    /// <summary>The SIP final status we answer a refused INVITE with.</summary>
    public static int StatusFor(RejectCause cause) => cause switch
    {
        RejectCause.Busy => 486,
        RejectCause.Unavailable => 480,
        RejectCause.NotFound => 404,
        RejectCause.Declined => 603,
        RejectCause.MediaUnsupported => 488,
        RejectCause.ServerError => 500,
        _ => 480,
    };
}

/// <summary>Why the platform refuses an incoming call; turned into a SIP status by the implementation.</summary>
public enum RejectCause
{
    Busy,
    Unavailable,
    NotFound,
    Declined,
    MediaUnsupported,
    ServerError,
}
