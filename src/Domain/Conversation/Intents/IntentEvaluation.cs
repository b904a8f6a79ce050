namespace Aicc.Domain.Conversation.Intents;

/// <summary>Precision, recall and F1 of one intent over a test set.</summary>
public sealed record IntentScore(double Precision, double Recall, double F1, int Support);

/// <summary>
/// How well a recogniser does on labelled utterances it was not trained on: the figures
/// <c>aicc intent eval</c> prints and the benchmark reports. Lines labelled
/// <see cref="IntentPrediction.Unknown"/> test the rejection of out-of-domain speech.
/// </summary>
public sealed record IntentEvaluation(
    double Accuracy,
    double MacroF1,
    int N,
    IReadOnlyDictionary<string, IntentScore> PerIntent,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> Confusion,
    IReadOnlyList<(IntentExample Example, IntentPrediction Prediction)> Errors)
{
    public static IntentEvaluation Run(IntentClassifier classifier, IReadOnlyList<IntentExample> test)
    {
        var predictions = test.Select(e => (Example: e, Prediction: classifier.Classify(e.Text))).ToList();
        var confusion = new SortedDictionary<string, SortedDictionary<string, int>>(StringComparer.Ordinal);
        foreach (var (example, prediction) in predictions)
        {
            if (!confusion.TryGetValue(example.Intent, out var row))
            {
                confusion[example.Intent] = row = new SortedDictionary<string, int>(StringComparer.Ordinal);
            }

            row[prediction.Intent] = row.GetValueOrDefault(prediction.Intent) + 1;
        }

        var labels = predictions.SelectMany(p => new[] { p.Example.Intent, p.Prediction.Intent })
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var perIntent = new SortedDictionary<string, IntentScore>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            var truePositive = predictions.Count(p => p.Example.Intent == label && p.Prediction.Intent == label);
            var predicted = predictions.Count(p => p.Prediction.Intent == label);
            var support = predictions.Count(p => p.Example.Intent == label);
            var precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            var recall = support == 0 ? 0 : (double)truePositive / support;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perIntent[label] = new IntentScore(precision, recall, f1, support);
        }

        // Macro F1 averages over the intents the test set holds; an "unknown" answer already
        // costs the recall of the intent it missed and is not averaged in a second time.
        var gold = perIntent.Where(p => p.Value.Support > 0).Select(p => p.Value.F1).ToList();
        var correct = predictions.Count(p => p.Example.Intent == p.Prediction.Intent);
        return new IntentEvaluation(
            test.Count == 0 ? 0 : (double)correct / test.Count,
            gold.Count == 0 ? 0 : gold.Average(),
            test.Count,
            perIntent,
            confusion.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, int>)p.Value, StringComparer.Ordinal),
            predictions.Where(p => p.Example.Intent != p.Prediction.Intent).ToList());
    }
}
