using System.Collections.Concurrent;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Robots;
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
/// The scripts shipped with the platform (src/Domain/Conversation/Demo): the demo robot's
/// English script under the demo script id, version 1. Stands in until tenants' uploaded
/// scripts are stored; any tenant may pin it.
/// </summary>
public sealed class ShippedRobotScripts : IRobotScripts
{
    private readonly ConcurrentDictionary<ScriptVersion, Lazy<LoadedScript>> _loaded = new();

    public Task<LoadedScript?> LoadAsync(Guid tenantId, ScriptVersion version, CancellationToken cancellationToken)
    {
        if (version != new ScriptVersion(SeedDemo.DemoScriptId, 1))
        {
            return Task.FromResult<LoadedScript?>(null);
        }

        var loaded = _loaded.GetOrAdd(version, _ => new Lazy<LoadedScript>(() =>
        {
            var script = RobotDemo.Script("en");
            return new LoadedScript(script, ScriptRecogniser.Train(script));
        }));
        return Task.FromResult<LoadedScript?>(loaded.Value);
    }
}
