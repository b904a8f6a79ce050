namespace Aicc.Handlers.Recording;

/// <summary>
/// Where this host keeps call recordings. Calls store a location relative to this folder (not
/// an absolute path), so a host can move its data folder and still serve the recordings; the
/// download endpoint resolves locations here and refuses anything that points outside it.
/// </summary>
public sealed record RecordingsFolder(string Directory)
{
    /// <summary><c>$AICC_RECORDINGS_DIR</c>, else <c>recordings</c> in <c>$AICC_DATA</c> (./run's data folder), else in ./.data.</summary>
    public static RecordingsFolder FromEnvironment() => new(
        Environment.GetEnvironmentVariable("AICC_RECORDINGS_DIR") is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetEnvironmentVariable("AICC_DATA") is { Length: > 0 } data ? data : ".data", "recordings"));

    /// <summary>The relative location of a new recording of a call: one subfolder per tenant.</summary>
    public static string LocationOf(Guid tenantId, Guid callId, Guid recordingId) => $"{tenantId:N}/{callId:N}-{recordingId:N}.wav";

    /// <summary>The file a location names, or null when the location leaves the folder.</summary>
    public string? PathOf(string location)
    {
        var root = Path.GetFullPath(Directory);
        var full = Path.GetFullPath(Path.Combine(root, location));
        return full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
