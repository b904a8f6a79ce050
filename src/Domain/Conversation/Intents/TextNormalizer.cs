using System.Text;

namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// Puts caller text into one canonical shape before features are taken, so that the same
/// words typed or transcribed differently (full-width letters from a Chinese IME, capitals,
/// English contractions, punctuation) meet the same features.
/// </summary>
public static class TextNormalizer
{
    private static readonly (string From, string To)[] Contractions =
    [
        ("won't", "will not"), ("can't", "can not"), ("cannot", "can not"), ("shan't", "shall not"),
        ("ain't", "is not"), ("n't", " not"), ("'m", " am"), ("'re", " are"), ("'ll", " will"),
        ("'ve", " have"), ("'d", " would"), ("let's", "let us"), ("'s", " is"),
    ];

    /// <summary>Full-width to half-width, lower case, curly quotes to straight, contractions expanded.</summary>
    public static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.ToLowerInvariant(ToHalfWidth(c)));
        }

        var result = builder.ToString();
        foreach (var (from, to) in Contractions)
        {
            result = result.Replace(from, to, StringComparison.Ordinal);
        }

        return result;
    }

    /// <summary>Han ideographs: the characters Chinese n-grams are taken over.</summary>
    public static bool IsCjk(char c) =>
        c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';

    /// <summary>Letters and digits that make up English words (after normalisation).</summary>
    public static bool IsWordChar(char c) => c is >= 'a' and <= 'z' or >= '0' and <= '9' || c == '\'';

    private static char ToHalfWidth(char c) => c switch
    {
        '\u3000' => ' ',
        >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
        '\u2018' or '\u2019' or '\u02BC' => '\'',
        _ => c,
    };
}
