namespace Aicc.Telephony.Sdp;

/// <summary>Why an SDP body was refused; lets the SIP layer answer 400/488 with a precise reason.</summary>
public enum SdpError
{
    Empty,
    MalformedLine,
    MissingVersion,
    UnsupportedVersion,
    MissingOrigin,
    InvalidOrigin,
    MissingSessionName,
    MissingTiming,
    InvalidTiming,
    InvalidConnection,
    MissingConnection,
    InvalidMedia,
    InvalidPort,
    InvalidAttribute,
}

/// <summary>
/// A malformed SDP body (RFC 4566 §5 grammar violated). Exists so hostile or broken bodies
/// become a typed, catchable outcome with the offending line, never an arbitrary exception.
/// </summary>
public sealed class SdpParseException : FormatException
{
    public SdpParseException(SdpError error, int lineNumber, string detail)
        : base($"SDP {error} at line {lineNumber}: {detail}")
    {
        Error = error;
        LineNumber = lineNumber;
        Detail = detail;
    }

    public SdpError Error { get; }

    /// <summary>1-based line number; 0 when the problem is the description as a whole.</summary>
    public int LineNumber { get; }

    public string Detail { get; }
}
