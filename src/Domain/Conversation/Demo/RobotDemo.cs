using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Conversation.Demo;

/// <summary>
/// The demo tenant's robot content shipped inside the domain assembly: the 11-intent training
/// utterances (a copy of the conformance set) and the English and Chinese dialog scripts, so a
/// fresh installation has a working robot without uploading anything.
/// </summary>
public static class RobotDemo
{
    /// <summary>The demo intents' example utterances (English and Chinese).</summary>
    public static IReadOnlyList<IntentExample> TrainingExamples() =>
        IntentExamples.ParseJsonLines(Read("intents.train.jsonl"), "demo:intents.train.jsonl");

    /// <summary>The demo script in <c>en</c> or <c>zh</c> (Chinese leans on DTMF choices).</summary>
    public static DialogScript Script(string language)
    {
        var (script, problems) = ScriptValidation.Parse(Read($"script.demo-{language}.json"));
        if (script is null || problems.Count > 0)
        {
            throw new InvalidOperationException($"demo script {language} is invalid: {string.Join("; ", problems.Select(p => p.Message))}");
        }

        return script;
    }

    /// <summary>The text of one embedded demo file.</summary>
    public static string Read(string name)
    {
        var assembly = typeof(RobotDemo).Assembly;
        using var stream = assembly.GetManifestResourceStream("Aicc.Domain.Conversation.Demo." + name)
            ?? throw new InvalidOperationException($"demo resource {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
