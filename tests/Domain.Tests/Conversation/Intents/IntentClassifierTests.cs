using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Intents;

namespace Aicc.Domain.Tests.Conversation.Intents;

public sealed class IntentClassifierTests
{
    private static readonly IntentClassifier Demo = IntentClassifier.Train(RobotDemo.TrainingExamples());

    private static IReadOnlyList<IntentExample> Data(string name) =>
        IntentExamples.ParseJsonLines(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversation", "Data", name)), name);

    [Theory]
    [InlineData("heldout.jsonl")]
    [InlineData("heldout-blind.jsonl")]
    [InlineData("heldout-extra.jsonl")]
    [InlineData("heldout-4.jsonl")]
    [InlineData("heldout-5.jsonl")]
    [InlineData("heldout-6.jsonl")]
    [InlineData("heldout-7.jsonl")]
    // heldout-9 was written blind (154 typical caller lines) and scored 0.877 before the fixes
    // of its round; it reaches 0.994 now, so it guards 0.95 like the files above. heldout-8
    // (blind 0.807, deliberately unusual wording) reaches 0.960 after two rounds.
    [InlineData("heldout-9.jsonl")]
    [InlineData("heldout-8.jsonl")]
    // heldout-10 was written blind after the last tuning (154 typical caller lines; no one who
    // changed the recogniser read it) and is left untuned: the honest figure for new wording,
    // 0.890 before the broad lexicon expansion and 0.903 after. It guards 0.90.
    [InlineData("heldout-10.jsonl", 0.90)]
    public void GivenDemoTraining_WhenScoringNewParaphrases_ThenAccuracyHoldsItsLevel(string file, double floor = 0.95)
    {
        var test = Data(file);
        var training = RobotDemo.TrainingExamples().Select(e => e.Text).ToHashSet();
        Assert.DoesNotContain(test, e => training.Contains(e.Text));

        var evaluation = IntentEvaluation.Run(Demo, test);

        Assert.True(evaluation.Accuracy >= floor, $"accuracy {evaluation.Accuracy:F3}: " + string.Join("; ", evaluation.Errors.Select(e => $"{e.Example.Text} -> {e.Prediction.Intent}")));
    }

    [Theory]
    [InlineData("I want to speak to a human agent", "transfer_to_human")]
    [InlineData("转人工", "transfer_to_human")]
    [InlineData("please take me off your list", "do_not_call")]
    [InlineData("不感兴趣", "not_interested")]
    [InlineData("我感兴趣", "interested")]
    [InlineData("是", "affirm")]
    [InlineData("不是", "deny")]
    [InlineData("ＨＯＷ ＭＵＣＨ does it cost？", "ask_price")]
    public void GivenDemoTraining_WhenClassifying_ThenIntentIsRecognised(string text, string intent)
    {
        var prediction = Demo.Classify(text);

        Assert.Equal(intent, prediction.Intent);
        Assert.InRange(prediction.Confidence, 0.25, 1.0);
    }

    [Theory]
    [InlineData("xqzv blorp")]
    [InlineData("")]
    [InlineData("the football match was amazing yesterday")]
    [InlineData("the quick brown fox jumps over the lazy dog")]
    [InlineData("小猫在沙发上睡觉")]
    public void GivenDemoTraining_WhenSpeechIsOutOfDomain_ThenUnknown(string text)
    {
        var prediction = Demo.Classify(text);

        Assert.True(prediction.IsUnknown, $"{text} -> {prediction.BestGuess} {prediction.Confidence:F2}");
    }

    [Fact]
    public void GivenAKeywordRule_WhenItsPhraseOccurs_ThenTheRuleWinsOverTheModel()
    {
        var rules = new[] { new KeywordRule("do_not_call", ["lawyer", "律师"]) };
        var classifier = IntentClassifier.Train(RobotDemo.TrainingExamples(), rules);

        var english = classifier.Classify("yes my lawyer will hear about this");
        var chinese = classifier.Classify("我找律师");

        Assert.Equal(("do_not_call", true), (english.Intent, english.ByKeywordRule));
        Assert.Equal(("do_not_call", true), (chinese.Intent, chinese.ByKeywordRule));
        Assert.Equal("affirm", classifier.Classify("yes").Intent);
    }

    [Fact]
    public void KeywordRulesMatchWholeEnglishWordsOnly()
    {
        var rule = new KeywordRule("ask_price", ["fee"]);

        Assert.True(rule.Matches(TextNormalizer.Normalize("what is the FEE")));
        Assert.False(rule.Matches(TextNormalizer.Normalize("I need coffee")));
    }

    [Fact]
    public void TrainingIsDeterministic()
    {
        var again = IntentClassifier.Train(RobotDemo.TrainingExamples());

        foreach (var text in new[] { "can you call me back", "我在忙", "who's this", "嗯" })
        {
            Assert.Equal(Demo.Probabilities(text), again.Probabilities(text));
        }
    }

    [Fact]
    public void AThresholdOfOneRejectsEverything()
    {
        var strict = IntentClassifier.Train(RobotDemo.TrainingExamples(), options: new IntentTrainingOptions { UnknownThreshold = 1.01 });

        var prediction = strict.Classify("transfer me to an agent please");

        Assert.True(prediction.IsUnknown);
        Assert.Equal("transfer_to_human", prediction.BestGuess);
    }

    [Fact]
    public void GivenAMostlyUnfamiliarUtterance_WhenClassifying_ThenItNeedsTheStrangerThreshold()
    {
        const string text = "the quick brown fox jumps over the lazy dog";
        var lenient = IntentClassifier.Train(RobotDemo.TrainingExamples(), options: new IntentTrainingOptions { StrangerThreshold = 0.25 });

        Assert.True(Demo.KnownConceptShare(text) < new IntentTrainingOptions().KnownConceptFloor);
        Assert.Equal(1.0, Demo.KnownConceptShare("how much does it cost"));
        Assert.True(Demo.Classify(text).IsUnknown);
        Assert.Equal(Demo.Classify(text).BestGuess, lenient.Classify(text).Intent);
    }
}
