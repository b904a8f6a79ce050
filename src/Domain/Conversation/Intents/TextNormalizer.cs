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

    /// <summary>
    /// A normalised utterance without the Chinese hesitation sounds 嗯 and 呃 and a leading 喂
    /// or 啊, as long as something else is left. Callers open with them whatever they go on
    /// to say ("嗯，不是的"), but 嗯 alone is a yes, so the examples teach it as one and it would
    /// otherwise pull every "嗯, ..." towards affirm. 额 (often typed for 呃) stays: it is also
    /// a word (额度, 金额).
    /// </summary>
    public static string WithoutHesitations(string normalized)
    {
        var builder = new StringBuilder(normalized.Length);
        var leading = true;
        foreach (var c in normalized)
        {
            var hesitation = c is '嗯' or '呃' || leading && c is '喂' or '啊';
            if (!hesitation)
            {
                builder.Append(c);
                leading &= !IsCjk(c) && !IsWordChar(c);
            }
        }

        // What is left must say something: "嗯呢" without 嗯 is a bare 呢, still a yes.
        return builder.ToString().Any(c => IsCjk(c) && !FillerParticles.Contains(c) || IsWordChar(c)) ? builder.ToString() : normalized;
    }

    // Sentence particles that carry tone, not content.
    private static readonly HashSet<char> FillerParticles = ['呢', '啊', '呀', '哦', '喔', '吧', '嘛', '哈', '啦', '嘞', '哪'];

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
