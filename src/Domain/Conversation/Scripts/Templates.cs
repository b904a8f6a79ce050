using System.Text.RegularExpressions;

namespace Aicc.Domain.Conversation.Scripts;

/// <summary>
/// The <c>{{variable}}</c> placeholders in prompt texts: found for validation, filled in when
/// the dialog speaks. A missing value renders as empty rather than as the raw placeholder,
/// because the caller must never hear "curly curly name".
/// </summary>
public static partial class Templates
{
    [GeneratedRegex(@"\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}")]
    private static partial Regex Placeholder();

    public static IEnumerable<string> Variables(string text) =>
        Placeholder().Matches(text).Select(m => m.Groups[1].Value);

    public static string Render(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : string.Empty);
}
