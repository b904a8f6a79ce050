using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Aicc.Telephony.Speech;

/// <summary>
/// Turns Chinese phrases into toneless pinyin syllables and gives each syllable an approximate
/// pronunciation in the English acoustic model's phones: no Mandarin acoustic model can be had
/// here (ADR 0008), so Mandarin is recognised as pinyin "words" over the US English model.
/// Characters are read by espeak-ng's Mandarin dictionary (voice cmn-latn-pinyin, run as a
/// process because it is GPL): it prints its phonemes, which are mapped back to pinyin through a
/// table made by asking espeak-ng to read every pinyin syllable once.
/// </summary>
public sealed class PinyinLexicon
{
    // Every syllable of standard Mandarin (toneless; v stands for u-umlaut after n and l).
    private const string Inventory =
        "a ai an ang ao e ei en eng er o ou " +
        "ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu " +
        "pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu " +
        "ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu " +
        "fa fan fang fei fen feng fo fou fu " +
        "da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo " +
        "ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo " +
        "na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo nv nve " +
        "la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve " +
        "ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo " +
        "ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo " +
        "ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo " +
        "ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun " +
        "qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun " +
        "xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun " +
        "zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo " +
        "cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo " +
        "sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo " +
        "ran rang rao re ren reng ri rong rou ru rua ruan rui run ruo " +
        "za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo " +
        "ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo " +
        "sa sai san sang sao se sen seng si song sou su suan sui sun suo " +
        "ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun " +
        "wa wai wan wang wei wen weng wo wu";

    private static readonly Dictionary<string, string> Initials = new(StringComparer.Ordinal)
    {
        ["b"] = "B", ["p"] = "P", ["m"] = "M", ["f"] = "F", ["d"] = "D", ["t"] = "T", ["n"] = "N", ["l"] = "L",
        ["g"] = "G", ["k"] = "K", ["h"] = "HH", ["j"] = "JH", ["q"] = "CH", ["x"] = "SH", ["zh"] = "JH",
        ["ch"] = "CH", ["sh"] = "SH", ["r"] = "R", ["z"] = "Z", ["c"] = "T S", ["s"] = "S",
    };

    private static readonly Dictionary<string, string> Finals = new(StringComparer.Ordinal)
    {
        ["a"] = "AA", ["ai"] = "AY", ["an"] = "AA N", ["ang"] = "AA NG", ["ao"] = "AW", ["e"] = "AH", ["ei"] = "EY",
        ["en"] = "AH N", ["eng"] = "AH NG", ["er"] = "ER", ["o"] = "AO", ["ou"] = "OW", ["ong"] = "UH NG",
        ["i"] = "IY", ["ia"] = "Y AA", ["ian"] = "Y EH N", ["iang"] = "Y AA NG", ["iao"] = "Y AW", ["ie"] = "Y EH",
        ["in"] = "IH N", ["ing"] = "IH NG", ["iong"] = "Y UH NG", ["iu"] = "Y OW", ["u"] = "UW", ["ua"] = "W AA",
        ["uai"] = "W AY", ["uan"] = "W AA N", ["ue"] = "Y EH", ["ui"] = "W EY", ["un"] = "W AH N", ["uo"] = "W AO",
        ["uang"] = "W AA NG", ["v"] = "Y UW", ["ve"] = "Y EH",
    };

    // After j, q, x and y the written u is u-umlaut.
    private static readonly Dictionary<string, string> UmlautFinals = new(StringComparer.Ordinal)
    {
        ["u"] = "Y UW", ["ue"] = "Y UW EH", ["uan"] = "Y UW EH N", ["un"] = "Y UW N",
    };

    private readonly string _espeak;
    private readonly Dictionary<string, string> _byPhonemes;
    private readonly ConcurrentDictionary<string, IReadOnlyList<string>?> _phrases = new(StringComparer.Ordinal);

    private PinyinLexicon(string espeak, Dictionary<string, string> byPhonemes)
    {
        _espeak = espeak;
        _byPhonemes = byPhonemes;
        var entries = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var syllable in Syllables)
        {
            entries[syllable] = [Phones(syllable)];
        }
        Dictionary = new PronouncingDictionary(entries);
    }

    /// <summary>Every toneless pinyin syllable this lexicon knows.</summary>
    public static IReadOnlyList<string> Syllables { get; } = Inventory.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Each syllable's pronunciation in the English model's phones.</summary>
    public PronouncingDictionary Dictionary { get; }

    /// <summary>Builds the phoneme-to-pinyin table by letting espeak-ng read every syllable (one process run).</summary>
    public static PinyinLexicon Load(string espeak = "espeak-ng")
    {
        // Tone 1 on every syllable: the tone only changes espeak's digits, which are dropped.
        var lines = Run(espeak, Syllables.Select(s => s + "1"));
        if (lines.Count != Syllables.Count)
        {
            throw new InvalidOperationException($"espeak-ng read {Syllables.Count} syllables as {lines.Count} lines");
        }
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < lines.Count; i++)
        {
            // The first spelling wins where two syllables sound alike to espeak.
            table.TryAdd(Key(lines[i]), Syllables[i]);
        }
        return new PinyinLexicon(espeak, table);
    }

    /// <summary>
    /// The pinyin syllables of a Chinese phrase, or null when a character has no reading
    /// espeak-ng can give (a phrase with an unknown word cannot go into a grammar).
    /// </summary>
    public IReadOnlyList<string>? ToPinyin(string phrase) => ToPinyin([phrase])[0];

    /// <summary>Like <see cref="ToPinyin(string)"/> for many phrases, in one espeak-ng run for those not seen before.</summary>
    public IReadOnlyList<IReadOnlyList<string>?> ToPinyin(IReadOnlyList<string> phrases)
    {
        var missing = phrases.Distinct(StringComparer.Ordinal).Where(p => !_phrases.ContainsKey(p)).ToList();
        var speakable = missing.Where(p => Cleaned(p).Length > 0).ToList();
        if (speakable.Count > 0)
        {
            var lines = Run(_espeak, speakable.Select(Cleaned));
            for (var i = 0; i < speakable.Count; i++)
            {
                _phrases[speakable[i]] = i < lines.Count && lines.Count == speakable.Count ? Syllabify(lines[i]) : null;
            }
        }
        foreach (var phrase in missing.Except(speakable))
        {
            _phrases[phrase] = null;
        }
        return phrases.Select(p => _phrases[p]).ToList();
    }

    /// <summary>A syllable's approximate pronunciation in CMU phones (initial + final).</summary>
    public static string Phones(string syllable)
    {
        switch (syllable)
        {
            case "yi": return "IY";
            case "ye": return "Y EH";
            case "yan": return "Y EH N";
            case "yin": return "IY N";
            case "ying": return "IY NG";
            case "wu": return "W UW";
        }
        if (syllable[0] == 'y')
        {
            var rest = syllable[1..];
            return UmlautFinals.TryGetValue(rest, out var umlaut) ? umlaut : "Y " + FinalOf(rest, "y");
        }
        if (syllable[0] == 'w')
        {
            return "W " + FinalOf(syllable[1..], "w");
        }
        var initial = syllable.Length > 1 && syllable[1] == 'h' && syllable[0] is 'z' or 'c' or 's' ? syllable[..2]
            : Initials.ContainsKey(syllable[..1]) ? syllable[..1] : string.Empty;
        var final = syllable[initial.Length..];
        if (initial is "j" or "q" or "x" && UmlautFinals.TryGetValue(final, out var after))
        {
            return Initials[initial] + " " + after;
        }
        var vowel = final == "i" && initial is "z" or "c" or "s" or "zh" or "ch" or "sh" or "r" ? "IH" : FinalOf(final, initial);
        return initial.Length == 0 ? vowel : Initials[initial] + " " + vowel;
    }

    private static string FinalOf(string final, string initial) =>
        final.Length == 0 ? "AH"
        : Finals.TryGetValue(final, out var phones) ? phones
        // "ya"/"wa" style spellings drop the medial: yan = y + an, wo = w + o.
        : throw new ArgumentException($"no final '{final}' after '{initial}'");

    // Punctuation splits espeak's clauses (and so its output lines); one phrase must stay one line.
    private static string Cleaned(string phrase)
    {
        var text = new StringBuilder();
        foreach (var c in phrase)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private List<string>? Syllabify(string line)
    {
        var syllables = new List<string>();
        foreach (var part in line.Split("_|", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A switch to another language, e.g. "(en)", means espeak spelled something out.
            if (part.Contains('(', StringComparison.Ordinal) || !_byPhonemes.TryGetValue(Key(part), out var syllable))
            {
                return null;
            }
            syllables.Add(syllable);
        }
        return syllables.Count > 0 ? syllables : null;
    }

    // espeak's phonemes without tone digits and stress marks.
    private static string Key(string phonemes)
    {
        var key = new StringBuilder();
        foreach (var c in phonemes.Replace("_|", string.Empty, StringComparison.Ordinal))
        {
            if (!char.IsDigit(c) && c is not '\'' and not ',' and not ' ')
            {
                key.Append(c);
            }
        }
        return key.ToString();
    }

    private static List<string> Run(string espeak, IEnumerable<string> lines)
    {
        var start = new ProcessStartInfo(espeak)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-v", EspeakSynthesizer.MandarinVoice, "-q", "-x" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using (var stdin = process.StandardInput)
        {
            // A full stop ends each clause, so espeak-ng prints one line per input line.
            foreach (var line in lines)
            {
                stdin.Write(line);
                stdin.Write(".\n");
            }
        }
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"espeak-ng failed ({process.ExitCode}): {errors.Result}");
        }
        return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
    }
}
