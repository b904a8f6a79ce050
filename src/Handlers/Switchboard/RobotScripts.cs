using System.Collections.Concurrent;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Robots;
using Aicc.Handlers.Scripts;
using Aicc.Handlers.Tenants.SeedingDemo;

namespace Aicc.Handlers.Switchboard;

/// <summary>A pinned script version ready to run: the script and its trained intent recogniser.</summary>
public sealed record LoadedScript(DialogScript Script, IntentClassifier Intents);

/// <summary>
/// Where a robot session gets the script version a robot (and so each of its calls) is pinned
/// to. A port so that the tenant's stored scripts can stand behind it without touching the
/// session; trained recognisers are cached per version because a version never changes.
/// </summary>
public interface IRobotScripts
{
    /// <summary>The script version, or null when the tenant has no such version.</summary>
    Task<LoadedScript?> LoadAsync(Guid tenantId, ScriptVersion version, CancellationToken cancellationToken);
}

/// <summary>
/// The tenant's published script versions (<see cref="ScriptLibrary"/>), then the scripts shipped
/// with the platform (the demo scripts, which every tenant may run). A trained recogniser is
/// cached per tenant and version: a published version never changes.
/// </summary>
public sealed class StoredRobotScripts(ScriptLibrary library, ShippedRobotScripts shipped) : IRobotScripts
{
    private readonly ConcurrentDictionary<(Guid Tenant, ScriptVersion Version), Task<LoadedScript?>> _loaded = new();

    public Task<LoadedScript?> LoadAsync(Guid tenantId, ScriptVersion version, CancellationToken cancellationToken)
    {
        var loading = _loaded.GetOrAdd((tenantId, version), key => LoadUncachedAsync(key.Tenant, key.Version));
        if (loading.IsFaulted || (loading.IsCompletedSuccessfully && loading.Result is null))
        {
            // A failed read or a version published after the first ask must not stick.
            _loaded.TryRemove(new KeyValuePair<(Guid, ScriptVersion), Task<LoadedScript?>>((tenantId, version), loading));
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task<LoadedScript?> LoadUncachedAsync(Guid tenantId, ScriptVersion version)
    {
        var script = await library.LoadAsync(tenantId, version.ScriptId, version.Version, CancellationToken.None);
        return script is null
            ? await shipped.LoadAsync(tenantId, version, CancellationToken.None)
            : new LoadedScript(script, ScriptRecogniser.Train(script));
    }
}

/// <summary>
/// The scripts shipped with the platform (src/Domain/Conversation/Demo): the demo robot's
/// English script under the demo script id, version 1, and the Chinese one under its own id;
/// any tenant may pin them.
/// </summary>
public sealed class ShippedRobotScripts : IRobotScripts
{
    private readonly ConcurrentDictionary<ScriptVersion, Lazy<LoadedScript>> _loaded = new();

    public Task<LoadedScript?> LoadAsync(Guid tenantId, ScriptVersion version, CancellationToken cancellationToken)
    {
        var language = version == new ScriptVersion(SeedDemo.DemoScriptId, 1) ? "en"
            : version == new ScriptVersion(SeedDemo.DemoChineseScriptId, 1) ? "zh"
            : null;
        if (language is null)
        {
            return Task.FromResult<LoadedScript?>(null);
        }

        var loaded = _loaded.GetOrAdd(version, _ => new Lazy<LoadedScript>(() =>
        {
            var script = RobotDemo.Script(language);
            return new LoadedScript(script, ScriptRecogniser.Train(script));
        }));
        return Task.FromResult<LoadedScript?>(loaded.Value);
    }
}
