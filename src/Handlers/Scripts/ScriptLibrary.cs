using System.Collections.Concurrent;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Robots;
using Aicc.Domain.Scripts;
using Aicc.EventStore;
using Aicc.Handlers.Commands;

namespace Aicc.Handlers.Scripts;

/// <summary>A robot seat's pinned script version with its document, voice and capacity, as a call starts it.</summary>
public sealed record PinnedScript(Guid RobotId, ScriptVersion Script, string Voice, int Capacity, DialogScript Document);

/// <summary>
/// The published script versions of every tenant, as the code that runs calls needs them: a
/// robot pins (script, version) and the switchboard loads that document to start the dialog.
/// Versions never change once published, so a loaded document is cached without invalidation.
/// </summary>
public sealed class ScriptLibrary(PostgresEventStore store)
{
    private const int CacheLimit = 512;
    private readonly ConcurrentDictionary<(Guid Tenant, Guid Script, int Version), DialogScript> _cache = new();

    /// <summary>The document of a published version in the tenant; null when the script or the version does not exist there.</summary>
    public async Task<DialogScript?> LoadAsync(Guid tenantId, Guid scriptId, int version, CancellationToken cancellationToken = default)
    {
        if (_cache.TryGetValue((tenantId, scriptId, version), out var cached))
        {
            return cached;
        }

        if (version < 1)
        {
            return null;
        }

        var events = await store.ReadStreamAsync(Deciders.TenantKey(tenantId), Deciders.Script.StreamId(scriptId), 1, cancellationToken);
        var document = events.Select(e => e.Data).OfType<ScriptEvent.VersionPublished>().FirstOrDefault(e => e.Version == version)?.Document;
        if (document is not null)
        {
            if (_cache.Count >= CacheLimit)
            {
                _cache.Clear(); // crude bound; a tenant runs a handful of versions at a time
            }

            _cache[(tenantId, scriptId, version)] = document;
        }

        return document;
    }

    /// <summary>
    /// What an active robot seat runs right now: its pinned script version's document and its voice
    /// (which overrides the script's default). Null when the robot is not active in the tenant or
    /// its pinned version is missing. A call should keep the document it started with.
    /// </summary>
    public async Task<PinnedScript?> LoadForRobotAsync(Guid tenantId, Guid robotId, CancellationToken cancellationToken = default)
    {
        var (robot, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, Deciders.TenantKey(tenantId), Deciders.Robot.StreamId(robotId), cancellationToken);
        if (robot is not Robot.Active active)
        {
            return null;
        }

        var document = await LoadAsync(tenantId, active.Script.ScriptId, active.Script.Version, cancellationToken);
        return document is null ? null : new PinnedScript(robotId, active.Script, active.Voice, active.Capacity, document);
    }

    /// <summary>The script's current state in the tenant (<see cref="Script.None"/> when it is not there) and its stream version.</summary>
    public async Task<(Script State, long StreamVersion)> GetAsync(Guid tenantId, Guid scriptId, CancellationToken cancellationToken = default) =>
        await CommandRunner.LoadAsync(store, Deciders.Script, Deciders.TenantKey(tenantId), Deciders.Script.StreamId(scriptId), cancellationToken);

    /// <summary>Whether the tenant has this script with this version published (what a robot may pin).</summary>
    public async Task<bool> HasVersionAsync(Guid tenantId, Guid scriptId, int version, CancellationToken cancellationToken = default) =>
        (await GetAsync(tenantId, scriptId, cancellationToken)).State is Script.Existing script && script.HasVersion(version);
}
