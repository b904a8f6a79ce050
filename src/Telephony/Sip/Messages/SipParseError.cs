namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// Why bytes could not be read as a SIP message. Callers branch on the reason (answer 400,
/// answer 505, drop) instead of catching exceptions, because hostile input is normal on a
/// public SIP port (RFC 4475 §3.1.2).
/// </summary>
public enum SipParseErrorReason
{
    Empty,
    HeadersIncomplete,
    MessageTooLarge,
    InvalidStartLine,
    UnsupportedVersion,
    InvalidMethod,
    InvalidRequestUri,
    InvalidStatusCode,
    InvalidHeaderLine,
    InvalidHeaderValue,
    InvalidContentLength,
    BodyShorterThanContentLength,
    CSeqMethodMismatch,
}

/// <summary>A typed parse failure: the reason to branch on and a human-readable detail.</summary>
public sealed record SipParseError(SipParseErrorReason Reason, string Detail)
{
    public override string ToString() => $"{Reason}: {Detail}";
}
