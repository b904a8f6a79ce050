namespace Aicc.Telephony.Sdp;

/// <summary>
/// The direction attributes of RFC 4566 §6 (a=sendrecv/sendonly/recvonly/inactive), always from
/// the point of view of the description's author. Hold (RFC 3264 §8.4) is expressed with them.
/// </summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>Helpers for direction attributes.</summary>
public static class MediaDirections
{
    /// <summary>The attribute name as written in SDP.</summary>
    public static string ToAttributeName(this MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => "sendrecv",
    };

    /// <summary>Parses a direction attribute name; null for any other attribute.</summary>
    public static MediaDirection? FromAttributeName(string name) => name.ToLowerInvariant() switch
    {
        "sendrecv" => MediaDirection.SendRecv,
        "sendonly" => MediaDirection.SendOnly,
        "recvonly" => MediaDirection.RecvOnly,
        "inactive" => MediaDirection.Inactive,
        _ => null,
    };

    /// <summary>The answer's direction for an offered one (RFC 3264 §6.1), limited by what we want.</summary>
    public static MediaDirection Answering(MediaDirection offered, MediaDirection wanted)
    {
        var weSend = offered is MediaDirection.SendRecv or MediaDirection.RecvOnly;
        var weReceive = offered is MediaDirection.SendRecv or MediaDirection.SendOnly;
        weSend &= wanted is MediaDirection.SendRecv or MediaDirection.SendOnly;
        weReceive &= wanted is MediaDirection.SendRecv or MediaDirection.RecvOnly;
        return From(weSend, weReceive);
    }

    /// <summary>True if the author of a description with this direction sends media.</summary>
    public static bool Sends(this MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    /// <summary>True if the author of a description with this direction receives media.</summary>
    public static bool Receives(this MediaDirection direction) => direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    internal static MediaDirection From(bool sends, bool receives) => (sends, receives) switch
    {
        (true, true) => MediaDirection.SendRecv,
        (true, false) => MediaDirection.SendOnly,
        (false, true) => MediaDirection.RecvOnly,
        _ => MediaDirection.Inactive,
    };
}
