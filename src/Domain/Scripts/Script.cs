using Aicc.Domain.Common;

namespace Aicc.Domain.Scripts;

/// <summary>
/// A tenant's dialog script (seed 002's 话术) as a series of immutable versions. Robots and calls
/// pin a version number, so a published version is never changed: editing a script publishes
/// the next one. The documents live in the version events; the state keeps only what deciding
/// needs (how many versions there are and a digest of each, to recognise a repeated upload).
/// </summary>
public abstract record Script
{
    private Script()
    {
    }

    public sealed record None : Script;

    /// <summary><paramref name="Digests"/> holds one content digest per version, version 1 first.</summary>
    public sealed record Existing(Guid ScriptId, Guid TenantId, string Name, string Language, ValueList<string> Digests) : Script
    {
        public int LatestVersion => Digests.Count;

        public bool HasVersion(int version) => version >= 1 && version <= Digests.Count;
    }

    public static Script Initial { get; } = new None();

    public static Script Evolve(Script state, ScriptEvent @event) => (state, @event) switch
    {
        (None, ScriptEvent.Created e) => new Existing(e.ScriptId, e.TenantId, e.Name, e.Language, ValueList<string>.Empty),
        (Existing s, ScriptEvent.VersionPublished e) when e.Version == s.LatestVersion + 1 => s with
        {
            Name = string.IsNullOrWhiteSpace(e.Document.Name) ? s.Name : e.Document.Name.Trim(),
            Language = e.Document.Language,
            Digests = s.Digests.Add(e.Digest),
        },
        _ => state,
    };
}
