using System.Text.Json;

namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// One labelled utterance: what a caller might say and the intent it means. Scripts carry
/// these as their intent configuration; the recogniser is trained from them.
/// </summary>
public sealed record IntentExample(string Text, string Intent, string? Lang = null);

/// <summary>
/// A line of labelled-utterance data that cannot be used. It names the source and the
/// 1-based line so that whoever edits the file can go straight to it.
/// </summary>
public sealed class IntentDataException(string source, int line, string problem)
    : Exception($"{source}:{line}: {problem}")
{
    public string DataSource { get; } = source;

    public int Line { get; } = line;

    public string Problem { get; } = problem;
}

/// <summary>
/// Reads labelled utterances in the JSON Lines shape the conformance data uses
/// (<c>{"text","intent","lang"}</c> per line). The caller does the file I/O; this stays pure.
/// </summary>
public static class IntentExamples
{
    public static IReadOnlyList<IntentExample> ParseJsonLines(string content, string source)
    {
        var examples = new List<IntentExample>();
        var lines = content.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            examples.Add(ParseLine(line, source, i + 1));
        }

        return examples;
    }

    private static IntentExample ParseLine(string line, string source, int lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line);
        }
        catch (JsonException ex)
        {
            throw new IntentDataException(source, lineNumber, $"not a JSON object: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new IntentDataException(source, lineNumber, "not a JSON object");
            }

            var text = RequiredString(root, "text", source, lineNumber);
            var intent = RequiredString(root, "intent", source, lineNumber);
            string? lang = null;
            if (root.TryGetProperty("lang", out var langElement) && langElement.ValueKind != JsonValueKind.Null)
            {
                if (langElement.ValueKind != JsonValueKind.String)
                {
                    throw new IntentDataException(source, lineNumber, "\"lang\" must be a string");
                }

                lang = langElement.GetString();
            }

            return new IntentExample(text, intent, lang);
        }
    }

    private static string RequiredString(JsonElement root, string name, string source, int lineNumber)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind != JsonValueKind.String)
        {
            throw new IntentDataException(source, lineNumber, $"missing string \"{name}\"");
        }

        var value = element.GetString()!;
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new IntentDataException(source, lineNumber, $"empty \"{name}\"");
        }

        return value;
    }
}
