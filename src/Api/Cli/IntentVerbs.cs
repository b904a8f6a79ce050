using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc intent ...</c>: offline tools for a script's intent recogniser, so a script author
/// can see how well the examples generalise before uploading them.
/// </summary>
public static class IntentVerbs
{
    public static Command Build()
    {
        var group = new Command("intent", "Intent recogniser tools (offline).");
        group.Add(BuildEval());
        group.Add(BuildClassify());
        return group;
    }

    private static Command BuildEval()
    {
        var train = new Option<FileInfo>("--train") { Description = "Training utterances (JSON Lines: text, intent, lang) or a script document (.json)", Required = true };
        var test = new Option<FileInfo>("--test") { Description = "Held-out utterances to score (same format)", Required = true };
        var threshold = new Option<double?>("--threshold") { Description = "Confidence below which the answer is \"unknown\" (default: the recogniser's)" };
        var errors = new Option<bool>("--errors") { Description = "Also list every wrong answer on stderr" };
        var command = new Command("eval", "Train on one file, score the other; prints accuracy, macro F1, per-intent scores and the confusion matrix as JSON.")
        {
            train, test, threshold, errors,
        };
        command.SetAction(parse =>
        {
            var classifier = TrainFrom(parse.GetValue(train)!, parse.GetValue(threshold));
            var testSet = Load(parse.GetValue(test)!);
            var evaluation = IntentEvaluation.Run(classifier, testSet);
            Console.WriteLine(ToJson(evaluation).ToJsonString());
            if (parse.GetValue(errors))
            {
                foreach (var (example, prediction) in evaluation.Errors)
                {
                    Console.Error.WriteLine($"{example.Intent} -> {prediction.Intent} ({prediction.BestGuess} {prediction.Confidence:F2}): {example.Text}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command BuildClassify()
    {
        var train = new Option<FileInfo>("--train") { Description = "Training utterances (JSON Lines: text, intent, lang) or a script document (.json)", Required = true };
        var text = new Argument<string>("text") { Description = "The utterance to classify" };
        var command = new Command("classify", "Train on a file and classify one utterance; prints intent and confidence as JSON.") { train, text };
        command.SetAction(parse =>
        {
            var prediction = TrainFrom(parse.GetValue(train)!, null).Classify(parse.GetValue(text)!);
            Console.WriteLine(new JsonObject
            {
                ["intent"] = prediction.Intent,
                ["confidence"] = Math.Round(prediction.Confidence, 4),
                ["best_guess"] = prediction.BestGuess,
            }.ToJsonString());
            return 0;
        });
        return command;
    }

    /// <summary><c>aicc bench intent</c>: the demo recogniser's figures for the robot benchmark.</summary>
    public static Command BuildBench()
    {
        var test = new Option<FileInfo[]>("--test")
        {
            Description = "Held-out files (default: tests/Domain.Tests/Conversation/Data/heldout*.jsonl)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("intent", "Demo intent recogniser figures as JSON lines: held-out accuracy, training and classification time.") { test };
        command.SetAction(parse =>
        {
            var files = parse.GetValue(test) is { Length: > 0 } given
                ? given
                : new DirectoryInfo(Path.Combine("tests", "Domain.Tests", "Conversation", "Data")) is { Exists: true } data
                    ? data.GetFiles("heldout*.jsonl").OrderBy(f => f.Name).ToArray()
                    : throw new CliException("no held-out files: pass --test FILE (run from the repository root for the default)");
            var training = Aicc.Domain.Conversation.Demo.RobotDemo.TrainingExamples();
            IntentClassifier.Train(training);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            const int trainings = 10;
            IntentClassifier classifier = null!;
            for (var i = 0; i < trainings; i++)
            {
                classifier = IntentClassifier.Train(training);
            }

            var trainMs = clock.Elapsed.TotalMilliseconds / trainings;
            var heldOut = files.SelectMany(Load).ToList();
            IntentEvaluation.Run(classifier, heldOut);
            clock.Restart();
            var evaluation = IntentEvaluation.Run(classifier, heldOut);
            var classifyUs = clock.Elapsed.TotalMilliseconds * 1000 / heldOut.Count;
            Line("intent_accuracy_demo", Math.Round(evaluation.Accuracy, 4), "ratio");
            Line("intent_macro_f1_demo", Math.Round(evaluation.MacroF1, 4), "ratio");
            Line("intent_heldout_n", heldOut.Count, "utterances");
            Line("intent_loo_accuracy_demo", Math.Round(IntentEvaluation.LeaveOneOut(training).Accuracy, 4), "ratio");
            Line("intent_train_ms", Math.Round(trainMs, 1), "ms");
            Line("intent_classify_us", Math.Round(classifyUs, 1), "us");
            return 0;
        });
        return command;
    }

    private static void Line(string metric, double value, string unit) =>
        Aicc.Api.Bench.BenchOutput.MetricAsIs("robot", metric, value, unit);

    private static IntentClassifier TrainFrom(FileInfo file, double? threshold)
    {
        if (file.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            // A whole script: its examples, keyword rules, synonyms and threshold.
            var script = LoadScript(file);
            return ScriptRecogniser.Train(threshold is { } s ? script with { UnknownThreshold = s } : script);
        }

        var options = new IntentTrainingOptions();
        if (threshold is { } t)
        {
            options = options with { UnknownThreshold = t };
        }

        return IntentClassifier.Train(Load(file), options: options);
    }

    private static DialogScript LoadScript(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file");
        }

        var (script, problems) = ScriptValidation.Parse(File.ReadAllText(file.FullName));
        if (script is null || problems.Count > 0)
        {
            throw new CliException($"{file.FullName}: invalid script ({string.Join("; ", problems.Select(p => (p.Node is null ? string.Empty : p.Node + ": ") + p.Message))})");
        }

        return script;
    }

    private static IReadOnlyList<IntentExample> Load(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new CliException($"{file.FullName}: no such file");
        }

        try
        {
            var examples = IntentExamples.ParseJsonLines(File.ReadAllText(file.FullName), file.FullName);
            if (examples.Count == 0)
            {
                throw new CliException($"{file.FullName}: no utterances");
            }

            return examples;
        }
        catch (IntentDataException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static JsonObject ToJson(IntentEvaluation evaluation)
    {
        var perIntent = new JsonObject();
        foreach (var (intent, score) in evaluation.PerIntent)
        {
            perIntent[intent] = new JsonObject
            {
                ["precision"] = Math.Round(score.Precision, 4),
                ["recall"] = Math.Round(score.Recall, 4),
                ["f1"] = Math.Round(score.F1, 4),
                ["support"] = score.Support,
            };
        }

        var confusion = new JsonObject();
        foreach (var (actual, row) in evaluation.Confusion)
        {
            var predicted = new JsonObject();
            foreach (var (name, count) in row)
            {
                predicted[name] = count;
            }

            confusion[actual] = predicted;
        }

        return new JsonObject
        {
            ["accuracy"] = Math.Round(evaluation.Accuracy, 4),
            ["macro_f1"] = Math.Round(evaluation.MacroF1, 4),
            ["n"] = evaluation.N,
            ["per_intent"] = perIntent,
            ["confusion"] = confusion,
        };
    }
}
