using Aicc.Domain.Common;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Scripts;

/// <summary>
/// Decides script commands. A document that fails <see cref="ScriptValidation"/> is refused
/// here too, so no path can store a script a robot could not run; the API validates first to
/// report every problem at once.
/// </summary>
public static class ScriptDecider
{
    public static Script Initial => Script.Initial;

    public static Decider<ScriptCommand, ScriptEvent, Script> Definition { get; } = new(Decide, Evolve, Initial);

    public static Script Evolve(Script state, ScriptEvent @event) => Script.Evolve(state, @event);

    public static IReadOnlyList<ScriptEvent> Decide(ScriptCommand command, Script state) => (command, state) switch
    {
        (ScriptCommand.Create c, Script.None) => Create(c),
        (ScriptCommand.Create c, Script.Existing s) when s.Digests[0] == ScriptDigest.Of(c.Document) => [],
        (ScriptCommand.Create, _) => throw new DomainException("script.already_exists", "A script with this id already exists."),
        (_, Script.None) => throw new DomainException("script.not_found", "The script does not exist."),

        (ScriptCommand.PublishVersion c, Script.Existing s) => Publish(c, s),

        _ => throw new DomainException("script.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static IReadOnlyList<ScriptEvent> Create(ScriptCommand.Create c)
    {
        var document = Require(c.Document) with { Version = 1 };
        return
        [
            new ScriptEvent.Created(c.ScriptId, c.TenantId, NameOf(document), document.Language, c.Now),
            new ScriptEvent.VersionPublished(c.ScriptId, 1, document, ScriptDigest.Of(document), c.Now),
        ];
    }

    private static IReadOnlyList<ScriptEvent> Publish(ScriptCommand.PublishVersion c, Script.Existing s)
    {
        var digest = ScriptDigest.Of(Require(c.Document));
        if (digest == s.Digests[^1])
        {
            return [];
        }

        var version = s.LatestVersion + 1;
        return [new ScriptEvent.VersionPublished(c.ScriptId, version, c.Document with { Version = version }, digest, c.Now)];
    }

    private static DialogScript Require(DialogScript document)
    {
        var problems = ScriptValidation.Validate(document);
        if (problems.Count > 0)
        {
            var first = problems[0];
            throw new DomainException(
                "script.invalid",
                $"The script has {problems.Count} problem(s); first: {(first.Node is null ? string.Empty : first.Node + ": ")}{first.Message}.");
        }

        return document;
    }

    /// <summary>The name lists show: the document's name, else its own id.</summary>
    private static string NameOf(DialogScript document) =>
        string.IsNullOrWhiteSpace(document.Name) ? document.Id : document.Name.Trim();
}
