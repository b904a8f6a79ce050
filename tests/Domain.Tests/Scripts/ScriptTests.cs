using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Domain.Scripts;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Scripts;

public partial class ScriptTests
{
    private static readonly Spec<Script, ScriptEvent, ScriptCommand> Spec = new(ScriptDecider.Definition);

    private static readonly Guid ScriptId = Guid.Parse("0195a000-0000-7000-8000-0000000d0001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly DialogScript English = RobotDemo.Script("en");

    /// <summary>The English demo with one prompt reworded: a real edit, so a new version.</summary>
    private static readonly DialogScript Edited = English with
    {
        Nodes = English.Nodes.Select(n => n is SayNode say && say.Id == English.Start ? say with { Text = "Hello again {{name}}." } : n).ToList(),
    };

    private static readonly ScriptEvent Created = new ScriptEvent.Created(ScriptId, TenantId, English.Name!, "en", T0);

    private static readonly ScriptEvent Version1 = new ScriptEvent.VersionPublished(
        ScriptId, 1, English with { Version = 1 }, ScriptDigest.Of(English), T0);

    /// <summary>The demo with the start node pointing nowhere and an ask expecting an intent nobody defined.</summary>
    private static DialogScript Broken() => English with
    {
        Start = "nowhere",
        Nodes = English.Nodes.Select(n => n is AskNode ask
            ? ask with { Expect = ask.Expect.Append(new IntentRoute { Intent = "no_such_intent", Next = ask.Expect[0].Next }).ToList() }
            : n).ToList(),
    };
}
