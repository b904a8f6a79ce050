using Aicc.Domain.Conversation.Intents;

namespace Aicc.Domain.Tests.Conversation.Intents;

public sealed class IntentDataTests
{
    [Fact]
    public void ParsesLinesSkippingBlankOnes()
    {
        var examples = IntentExamples.ParseJsonLines("{\"text\":\"yes\",\"intent\":\"affirm\",\"lang\":\"en\"}\n\n{\"text\":\"不\",\"intent\":\"deny\"}\n", "t");

        Assert.Equal([new IntentExample("yes", "affirm", "en"), new IntentExample("不", "deny")], examples);
    }

    [Theory]
    [InlineData("{\"text\":\"yes\",\"intent\":\"affirm\"}\n{\"text\":\"no\"}", 2, "missing string \"intent\"")]
    [InlineData("{\"text\":\"yes\",\"intent\":\"affirm\"}\n\n{oops", 3, "not a JSON object")]
    [InlineData("[1,2]", 1, "not a JSON object")]
    [InlineData("{\"text\":\"  \",\"intent\":\"affirm\"}", 1, "empty \"text\"")]
    [InlineData("{\"text\":\"a\",\"intent\":\"b\",\"lang\":3}", 1, "\"lang\" must be a string")]
    public void ABadLineIsReportedWithFileAndLineNumber(string content, int line, string problem)
    {
        var error = Assert.Throws<IntentDataException>(() => IntentExamples.ParseJsonLines(content, "data.jsonl"));

        Assert.Equal(line, error.Line);
        Assert.StartsWith($"data.jsonl:{line}: {problem}", error.Message);
    }

    [Fact]
    public void EvaluationCountsAccuracyF1AndConfusion()
    {
        var training = new[]
        {
            new IntentExample("yes", "affirm"), new IntentExample("yeah", "affirm"),
            new IntentExample("no", "deny"), new IntentExample("nope", "deny"),
        };
        var classifier = IntentClassifier.Train(training, lexicon: IntentLexicon.None);
        var test = new[] { new IntentExample("yes", "affirm"), new IntentExample("no", "deny"), new IntentExample("nope", "affirm") };

        var evaluation = IntentEvaluation.Run(classifier, test);

        Assert.Equal(3, evaluation.N);
        Assert.Equal(2.0 / 3, evaluation.Accuracy, 6);
        Assert.Equal(1, evaluation.Confusion["affirm"]["deny"]);
        Assert.Equal(0.5, evaluation.PerIntent["affirm"].Recall, 6);
        Assert.Equal(1.0, evaluation.PerIntent["affirm"].Precision, 6);
        Assert.Equal(0.5, evaluation.PerIntent["deny"].Precision, 6);
        Assert.Equal((2.0 / 3 + 2.0 / 3) / 2, evaluation.MacroF1, 6);
    }
}
