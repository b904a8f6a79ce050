using Aicc.Domain.Scripts;

namespace Aicc.Handlers.Scripts;

/// <summary>
/// A script as commands answer it: <c>latestVersion</c> is the newest published script version
/// (what a robot pins); <c>version</c> is the stream version, the ETag for If-Match.
/// </summary>
public sealed record ScriptResponse(Guid Id, string Name, string Language, int LatestVersion, long Version)
{
    public static ScriptResponse From(Script.Existing script, long version) =>
        new(script.ScriptId, script.Name, script.Language, script.LatestVersion, version);
}
