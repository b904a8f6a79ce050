using Aicc.Telephony.Codecs;
using Aicc.Telephony.Speech;

namespace Aicc.Telephony.Tests.Speech;

public sealed class MandarinRecognitionTests : IClassFixture<MandarinRecognitionTests.Engines>
{
    public sealed class Engines : IDisposable
    {
        public Engines() => Recognizer.Prewarm(2);

        public MandarinRecognizer Recognizer { get; } = new(new MandarinOptions { MaxDecoders = 2 });

        public EspeakSynthesizer Espeak { get; } = new();

        public FliteSynthesizer Flite { get; } = new();

        public void Dispose() => Recognizer.Dispose();
    }

    // A step's phrases as the script writes them (characters), with the tone-marked pinyin the
    // synthetic caller reads (espeak-ng's plain cmn voice mispronounces characters).
    public static readonly TheoryData<string, string> InGrammar = new()
    {
        { "我要找人工客服", "wo3 yao4 zhao3 ren2 gong1 ke4 fu2" },
        { "多少钱", "duo1 shao3 qian2" },
        { "不需要", "bu4 xu1 yao4" },
        { "我有兴趣", "wo3 you3 xing4 qu4" },
    };

    private static readonly string[] Step = ["转人工", "我要找人工客服", "多少钱", "不需要", "别再给我打电话了", "我有兴趣", "打错了", "我现在在忙"];

    private readonly Engines _engines;

    public MandarinRecognitionTests(Engines engines) => _engines = engines;

    private static short[] Telephone(short[] audio)
    {
        var encoded = new byte[audio.Length];
        MuLaw.Encode(audio, encoded);
        var decoded = new short[audio.Length];
        MuLaw.Decode(encoded, decoded);
        return new short[4000].Concat(decoded).Concat(new short[4000]).ToArray();
    }

    private RecognitionHypothesis Recognise(short[] audio)
    {
        using var session = _engines.Recognizer.Start(new RecognitionContext(Step, "zh"));
        for (var offset = 0; offset + 160 <= audio.Length; offset += 160)
        {
            session.Accept(audio.AsSpan(offset, 160));
        }
        return session.Finish();
    }

    [Theory]
    [MemberData(nameof(InGrammar))]
    public async Task Synthetic_mandarin_phrases_of_the_grammar_are_recognised_as_their_characters(string phrase, string pinyin)
    {
        var audio = Telephone((await _engines.Espeak.SynthesizeAsync(pinyin, EspeakSynthesizer.MandarinVoice)).Samples);
        var result = Recognise(audio);
        Assert.Equal(phrase, result.Text);
        Assert.InRange(result.Confidence, 0.5, 1.0);
    }

    [Theory]
    [InlineData("jin1 tian1 tian1 qi4 hen3 hao3")]
    [InlineData("wo3 xiang3 qu4 bei3 jing1 lv3 you2")]
    [InlineData("zhe4 ge4 wen4 ti2 hen3 fu4 za2")]
    public async Task Mandarin_outside_the_grammar_comes_back_unknown(string pinyin)
    {
        var audio = Telephone((await _engines.Espeak.SynthesizeAsync(pinyin, EspeakSynthesizer.MandarinVoice)).Samples);
        var result = Recognise(audio);
        Assert.True(result.IsEmpty, $"forced: '{result.Text}' {result.Confidence}");
        Assert.True(result.Confidence < 0.5);
    }

    [Theory]
    [InlineData("I want to speak to a human agent.")]
    [InlineData("The weather in the mountains was cold and windy all week.")]
    public async Task English_speech_comes_back_unknown(string text)
    {
        var audio = Telephone((await _engines.Flite.SynthesizeAsync(text, "kal16")).Samples);
        var result = Recognise(audio);
        Assert.True(result.IsEmpty, $"forced: '{result.Text}' {result.Confidence}");
    }

    [Fact]
    public void Characters_become_toneless_pinyin_and_english_model_phones()
    {
        var (jsgf, phrases) = _engines.Recognizer.BuildGrammar(["转人工", "多少钱"]);
        Assert.NotNull(jsgf);
        Assert.Equal("转人工", phrases["zhuan ren gong"]);
        Assert.Equal("多少钱", phrases["duo shao qian"]);
        Assert.Equal("JH W AA N", PinyinLexicon.Phones("zhuan"));
        Assert.Equal("CH Y EH N", PinyinLexicon.Phones("qian"));
        Assert.Equal("SH Y UW", PinyinLexicon.Phones("xu"));
        Assert.Equal("Z IH", PinyinLexicon.Phones("zi"));
        Assert.All(PinyinLexicon.Syllables, s => Assert.NotEmpty(PinyinLexicon.Phones(s)));
    }

    [Fact]
    public void Router_sends_each_language_to_its_engine()
    {
        using var english = new PocketSphinxRecognizer();
        var router = new LanguageRouter([english, _engines.Recognizer]);
        Assert.True(router.Supports("zh"));
        Assert.True(router.Supports("en"));
        Assert.False(router.Supports("fr"));
        Assert.Throws<NotSupportedException>(() => router.Start(new RecognitionContext(["oui"], "fr")));
    }
}
