using Aicc.Telephony.Codecs;
using Aicc.Telephony.Speech;

namespace Aicc.Telephony.Tests.Speech;

public sealed class SpeechRecognitionTests : IClassFixture<SpeechRecognitionTests.Engines>
{
    /// <summary>One recogniser for the class: each decoder loads a 35 MB model.</summary>
    public sealed class Engines : IDisposable
    {
        public Engines() => Recognizer.Prewarm(2);

        // These tests feed audio faster than real time; load shedding has its own tests below.
        public PocketSphinxRecognizer Recognizer { get; } = new(new PocketSphinxOptions { MaxDecoders = 2, MaxDecodeLagMs = int.MaxValue });

        public FliteSynthesizer Tts { get; } = new();

        public void Dispose() => Recognizer.Dispose();
    }

    private static readonly string[] DemoPhrases =
    [
        "I want to speak to a human agent", "Please do not call me again", "Yes I am interested", "What is the price",
        "I am busy right now, call me later", "No thank you", "Can you send me more information", "Transfer me to customer service",
        "I already have insurance", "How much does it cost per month", "I am not interested", "Call me back tomorrow", "Who is this",
    ];

    private readonly Engines _engines;

    public SpeechRecognitionTests(Engines engines) => _engines = engines;

    // Telephone band: 8 kHz through G.711 mu-law and back, as the audio arrives from a trunk.
    private async Task<short[]> TelephoneAudio(string text, string voice = "kal16")
    {
        var audio = (await _engines.Tts.SynthesizeAsync(text, voice)).Samples;
        var encoded = new byte[audio.Length];
        MuLaw.Encode(audio, encoded);
        var decoded = new short[audio.Length];
        MuLaw.Decode(encoded, decoded);
        return new short[4000].Concat(decoded).Concat(new short[4000]).ToArray();
    }

    // Partials come from the decode workers as they catch up, so a test that wants them feeds
    // frames paced (5 ms apart: four times real time) rather than all at once.
    private RecognitionHypothesis Recognise(short[] audio, IReadOnlyList<string> phrases, List<RecognitionHypothesis>? partials = null, IReadOnlyList<string>? scriptPhrases = null, PocketSphinxRecognizer? recognizer = null)
    {
        using var session = (recognizer ?? _engines.Recognizer).Start(new RecognitionContext(phrases, "en", scriptPhrases));
        for (var offset = 0; offset + 160 <= audio.Length; offset += 160)
        {
            var partial = session.Accept(audio.AsSpan(offset, 160));
            if (partial is not null)
            {
                partials?.Add(partial);
            }
            if (partials is not null)
            {
                Thread.Sleep(5);
            }
        }
        return session.Finish();
    }

    [Theory]
    [InlineData("I want to speak to a human agent.", "kal16")]
    [InlineData("Please do not call me again.", "slt")]
    [InlineData("How much does it cost per month?", "kal16")]
    [InlineData("Call me back tomorrow.", "slt")]
    public async Task Recognises_telephone_band_speech_against_the_steps_grammar(string text, string voice)
    {
        var audio = await TelephoneAudio(text, voice);
        var partials = new List<RecognitionHypothesis>();
        var result = Recognise(audio, DemoPhrases, partials);
        Assert.True(result.IsFinal);
        Assert.True(result.FromGrammar, $"fell back: '{result.Text}' {result.Confidence}");
        Assert.Equal(string.Join(' ', PocketSphinxRecognizer.Words(text)), result.Text);
        Assert.InRange(result.Confidence, 0.5, 1.0);
        Assert.NotEmpty(partials);
        Assert.All(partials, p => Assert.False(p.IsFinal));
    }

    [Fact]
    public async Task Speech_outside_everything_the_script_knows_comes_back_unknown()
    {
        var audio = await TelephoneAudio("The weather in the mountains was cold and windy all week.", "kal16");
        var result = Recognise(audio, ["yes", "no"], scriptPhrases: DemoPhrases);
        Assert.False(result.FromGrammar, $"forced: '{result.Text}' {result.Confidence}");
        Assert.True(result.IsEmpty, $"'{result.Text}' {result.Confidence}");
        Assert.True(result.Confidence < 0.5);
    }

    [Theory]
    [InlineData("Call me back tomorrow.")]
    [InlineData("Please do not call me again.")]
    public async Task A_phrase_of_another_step_is_recognised_by_the_script_model(string text)
    {
        var audio = await TelephoneAudio(text, "slt");
        var result = Recognise(audio, ["yes please", "no thank you"], scriptPhrases: DemoPhrases);
        Assert.False(result.FromGrammar);
        // One word may slip (the decoder's cepstral mean adapts to earlier audio in the pool, so
        // "do" came back "you" in one full run); more than one means the model did not recover it.
        var expected = PocketSphinxRecognizer.Words(text).ToArray();
        var heard = result.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(WordEdits(expected, heard) <= 1, $"expected '{string.Join(' ', expected)}', heard '{result.Text}'");
        Assert.InRange(result.Confidence, 0.3, 1.0);
    }

    private static int WordEdits(string[] a, string[] b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }

    [Fact]
    public async Task Without_a_second_decoder_the_script_model_decodes_after_the_endpoint()
    {
        using var single = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 1 });
        single.Prewarm(1);
        var audio = await TelephoneAudio("Call me back tomorrow.", "slt");
        var result = Recognise(audio, ["yes please", "no thank you"], scriptPhrases: DemoPhrases, recognizer: single);
        Assert.Equal(1, single.DecodersCreated);
        Assert.False(result.FromGrammar);
        Assert.Equal("call me back tomorrow", result.Text);
    }

    [Theory]
    [InlineData(int.MaxValue, 1, 0)]
    [InlineData(0, 0, 1)] // any wait for a decode worker counts as behind
    public async Task The_script_model_runs_beside_the_grammar_unless_decoding_falls_behind(int maxLagMs, long beside, long shed)
    {
        using var recognizer = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 2, MaxDecodeLagMs = maxLagMs });
        recognizer.Prewarm(2);
        var audio = await TelephoneAudio("Yes I am interested.", "kal16");
        var result = Recognise(audio, DemoPhrases, scriptPhrases: DemoPhrases, recognizer: recognizer);
        Assert.True(result.FromGrammar, $"fell back: '{result.Text}' {result.Confidence}");
        Assert.Equal("yes i am interested", result.Text);
        Assert.Equal(beside, recognizer.ScriptModelsBeside);
        Assert.Equal(shed, recognizer.FallbacksShed);
    }

    [Fact]
    public async Task A_shed_turn_whose_grammar_match_is_forced_decodes_the_script_model_after_the_endpoint()
    {
        using var behind = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 2, MaxDecodeLagMs = 0 });
        behind.Prewarm(2);
        var audio = await TelephoneAudio("Call me back tomorrow.", "slt");
        var result = Recognise(audio, ["yes please", "no thank you"], scriptPhrases: DemoPhrases, recognizer: behind);
        Assert.Equal(1, behind.FallbacksShed);
        Assert.False(result.FromGrammar);
        Assert.Equal("call me back tomorrow", result.Text);
    }

    [Fact]
    public async Task The_script_model_does_not_join_a_turn_late()
    {
        // One slot for a model beside a grammar: the first turn takes it; the second is a second
        // in when the slot frees, and catching that up would hold a decode worker from everyone.
        using var recognizer = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 4, MaxConcurrentFallbacks = 1, MaxDecodeLagMs = int.MaxValue });
        recognizer.Prewarm(4);
        var audio = await TelephoneAudio("Yes I am interested.", "kal16");
        var context = new RecognitionContext(DemoPhrases, "en", DemoPhrases);
        var first = recognizer.Start(context);
        using var second = recognizer.Start(context);
        first.Accept(audio.AsSpan(0, 160));
        Thread.Sleep(200);
        var half = audio.Length / 2 / 160 * 160;
        for (var offset = 0; offset < half; offset += 160)
        {
            // Four times real time: the grammar starts on the first frames, as on a live call.
            second.Accept(audio.AsSpan(offset, 160));
            Thread.Sleep(5);
        }
        Thread.Sleep(300);
        first.Dispose();
        for (var offset = half; offset + 160 <= audio.Length; offset += 160)
        {
            second.Accept(audio.AsSpan(offset, 160));
            Thread.Sleep(1);
        }
        var result = second.Finish();
        Assert.Equal("yes i am interested", result.Text);
        Assert.Equal(1, recognizer.ScriptModelsBeside);
    }

    [Fact]
    public void Script_model_is_a_normalised_bigram_model()
    {
        var arpa = ScriptLanguageModel.Build([["yes", "please"], ["no", "thank", "you"], ["yes"]]);
        var unigrams = new Dictionary<string, (double P, double Backoff)>();
        var bigrams = new List<(string H, string W, double P)>();
        var section = "";
        foreach (var line in arpa.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('\\'))
            {
                section = line;
                continue;
            }
            var f = line.Split(' ');
            if (section == "\\1-grams:")
            {
                unigrams[f[1]] = (Math.Pow(10, double.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture)), f.Length > 2 ? Math.Pow(10, double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture)) : 1);
            }
            else if (section == "\\2-grams:")
            {
                bigrams.Add((f[1], f[2], Math.Pow(10, double.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture))));
            }
        }
        Assert.Equal(1.0, unigrams.Where(u => u.Key != "<s>").Sum(u => u.Value.P), 3);
        Assert.Contains(bigrams, b => b is { H: "<s>", W: "yes" });
        foreach (var history in bigrams.Select(b => b.H).Distinct())
        {
            // Seen followers plus the back-off share of every unseen word: one distribution.
            var seen = bigrams.Where(b => b.H == history).ToDictionary(b => b.W, b => b.P);
            var unseen = unigrams.Where(u => u.Key != "<s>" && !seen.ContainsKey(u.Key)).Sum(u => u.Value.P);
            Assert.Equal(1.0, seen.Values.Sum() + unigrams[history].Backoff * unseen, 3);
        }
    }

    [Fact]
    public void Grammar_keeps_only_phrases_the_dictionary_can_spell()
    {
        var grammar = _engines.Recognizer.BuildGrammar(["Yes, please!", "qwzx blorf", "yes please", "No."]);
        Assert.NotNull(grammar);
        Assert.Contains("yes please", grammar);
        Assert.Contains("no", grammar);
        Assert.DoesNotContain("blorf", grammar);
        Assert.Single(grammar.Split('\n'), l => l.Contains("yes please"));
        Assert.Null(_engines.Recognizer.BuildGrammar(["qwzx blorf"]));
    }

    [Fact]
    public async Task Silence_recognises_nothing()
    {
        var result = Recognise(new short[16000], DemoPhrases);
        _ = await Task.FromResult(0);
        Assert.True(result.IsEmpty || !result.FromGrammar, $"'{result.Text}'");
    }
}
