using System.Text;
using Aicc.Domain.Conversation.Intents;

namespace Aicc.Domain.Conversation.Speech;

/// <summary>
/// Cuts a prompt into the pieces the TTS synthesises one by one, so the first audio leaves
/// before the whole reply is synthesised. Seed 002 learned that cutting at a fixed length
/// makes the voice jump; cutting at commas and full stops (Chinese and English) keeps it
/// steady. Pieces shorter than a few syllables ("好的，", "Hi,") are kept with their
/// neighbour, because a synthesiser given two syllables produces an odd, clipped tone.
/// </summary>
public static class TtsSentenceSplitter
{
    /// <summary>Default shortest piece, in syllables (a Han character is one; three Latin letters about one).</summary>
    public const double DefaultMinSyllables = 6;

    private const string Breaks = "，,。.！!？?；;、…";

    public static IReadOnlyList<string> Split(string text, double minSyllables = DefaultMinSyllables)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            current.Append(text[i]);
            if (!IsBreak(text, i))
            {
                continue;
            }

            // Closing quotes and brackets belong to the piece they close.
            while (i + 1 < text.Length && "”’\"'」』）)".Contains(text[i + 1]))
            {
                current.Append(text[++i]);
            }

            if (Syllables(current) >= minSyllables)
            {
                Flush(current, pieces);
            }
        }

        if (Syllables(current) > 0)
        {
            if (Syllables(current) < minSyllables && pieces.Count > 0)
            {
                var joined = pieces[^1] + (NeedsSpace(pieces[^1]) ? " " : string.Empty) + current.ToString().Trim();
                pieces[^1] = joined;
            }
            else
            {
                Flush(current, pieces);
            }
        }

        return pieces;
    }

    private static bool IsBreak(string text, int i)
    {
        var c = text[i];
        if (!Breaks.Contains(c))
        {
            return false;
        }

        if (c is '.' or ',')
        {
            // "3.50", "1,000", "e.g." are not pauses: an ASCII break needs space or the end after it.
            var next = i + 1 < text.Length ? text[i + 1] : ' ';
            if (!char.IsWhiteSpace(next) && !TextNormalizer.IsCjk(next) && next is not ('"' or '\'' or ')'))
            {
                return false;
            }
        }

        // Of a run of marks ("?!", "..."), only the last one ends the piece.
        return i + 1 >= text.Length || !Breaks.Contains(text[i + 1]);
    }

    private static double Syllables(StringBuilder piece)
    {
        var count = 0.0;
        for (var i = 0; i < piece.Length; i++)
        {
            var c = piece[i];
            if (TextNormalizer.IsCjk(c))
            {
                count += 1;
            }
            else if (char.IsLetterOrDigit(c))
            {
                count += 1.0 / 3;
            }
        }

        return count;
    }

    private static bool NeedsSpace(string previous) => previous.Length > 0 && !TextNormalizer.IsCjk(previous[^1]) && previous[^1] is not ('，' or '。' or '！' or '？' or '；' or '、');

    private static void Flush(StringBuilder current, List<string> pieces)
    {
        var piece = current.ToString().Trim();
        if (piece.Length > 0)
        {
            pieces.Add(piece);
        }

        current.Clear();
    }
}
