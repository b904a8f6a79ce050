using Aicc.Telephony.Codecs;
using Aicc.Telephony.Speech;

namespace Aicc.Telephony.Tests.Speech;

public sealed class SpeechRecognitionTests : IClassFixture<SpeechRecognitionTests.Engines>
{
    /// <summary>One recogniser for the class: each decoder loads a 35 MB model.</summary>
    public sealed class Engines : IDisposable
    {
        public Engines() => Recognizer.Prewarm(2);

        public PocketSphinxRecognizer Recognizer { get; } = new(new PocketSphinxOptions { MaxDecoders = 2 });

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

    private RecognitionHypothesis Recognise(short[] audio, IReadOnlyList<string> phrases, List<RecognitionHypothesis>? partials = null)
    {
        using var session = _engines.Recognizer.Start(new RecognitionContext(phrases));
        for (var offset = 0; offset + 160 <= audio.Length; offset += 160)
        {
            var partial = session.Accept(audio.AsSpan(offset, 160));
            if (partial is not null)
            {
                partials?.Add(partial);
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
    public async Task Speech_outside_the_grammar_falls_back_to_the_free_model()
    {
        var audio = await TelephoneAudio("The weather in the mountains was cold and windy all week.", "kal16");
        var result = Recognise(audio, ["yes", "no"]);
        Assert.False(result.FromGrammar, $"forced: '{result.Text}' {result.Confidence}");
        Assert.True(result.Confidence < 0.5);
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
