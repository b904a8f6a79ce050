using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Conversation.Intents;
using Aicc.Domain.Conversation.Scripts;
using Aicc.Handlers.RobotPipeline;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Media;
using Aicc.Telephony.Rtp;
using Aicc.Telephony.Speech;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc bench robot</c>: the voice robot's figures from issue 5 — reply latency (end-of-speech
/// decision to the reply's first frame handed to the RTP clock), ASR real-time factor, how
/// many concurrent robot calls keep p95 within the target, and demo intent accuracy — measured
/// over real loopback RTP with flite callers, pocketsphinx and the demo script.
/// </summary>
public static class RobotBenchVerbs
{
    private const string Suite = "robot";

    private static readonly Dictionary<string, string> Customer = new()
    {
        ["name"] = "Alex", ["company"] = "Acme", ["product"] = "fibre broadband", ["price"] = "twenty dollars",
    };

    public static Command Build()
    {
        var levels = new Option<string>("--calls")
        {
            Description = "Concurrent call levels to try, comma-separated",
            DefaultValueFactory = _ => "1,10,25,50",
        };
        var target = new Option<double>("--target-ms")
        {
            Description = "Reply latency p95 target",
            DefaultValueFactory = _ => 300,
        };
        var says = new Option<string>("--says")
        {
            Description = "What every caller says (default: the issue's phrase, which the demo script has no example for, so ASR falls back to the free model)",
            DefaultValueFactory = _ => "I want to speak to a human agent.",
        };
        var skipAccuracy = new Option<bool>("--skip-accuracy")
        {
            Description = "Skip the recognition accuracy pass (about 30 s) and measure only the calls",
        };
        var command = new Command("robot", "Voice robot figures as JSON lines: reply latency, ASR real-time factor, concurrent calls, intent accuracy.") { levels, target, says, skipAccuracy };
        command.SetAction(async (parse, cancel) =>
        {
            var counts = parse.GetValue(levels)!.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(c => int.TryParse(c, out var n) && n > 0 ? n : throw new CliException($"--calls: '{c}' is not a positive number"))
                .ToArray();
            await RunAsync(counts, parse.GetValue(target), parse.GetValue(says)!, !parse.GetValue(skipAccuracy), cancel);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(int[] levels, double targetMs, string callerSays, bool accuracy, CancellationToken cancel)
    {
        var flite = new FliteSynthesizer();
        using var asr = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 2 * levels.Max() + 2 });
        var script = RobotDemo.Script("en");
        var intents = ScriptRecogniser.Train(script);
        var sw = Stopwatch.StartNew();
        asr.Prewarm(2 * levels.Max() + 2);
        Console.Error.WriteLine($"prewarm {asr.DecodersCreated} in {sw.ElapsedMilliseconds} ms, rss {Environment.WorkingSet / 1048576} MB");

        var (wall, cpu) = await AsrRealTimeFactor(flite, asr, script);
        Line("asr_realtime_factor", Math.Round(wall, 4), "ratio");
        Line("asr_cpu_realtime_factor", Math.Round(cpu, 4), "ratio");
        IntentAccuracy(intents);
        if (accuracy)
        {
            // Utterances are fed faster than real time here, which would read as falling behind:
            // one recogniser never sheds (the accuracy of a box that keeps up), the other never
            // runs the script model beside the grammar (the accuracy of turns shed under load).
            using (var keepsUp = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 2 * Environment.ProcessorCount, MaxDecodeLagMs = int.MaxValue }))
            {
                await AsrAccuracy(flite, keepsUp, script, intents, "", cancel);
            }
            using (var shed = new PocketSphinxRecognizer(new PocketSphinxOptions { MaxDecoders = 2 * Environment.ProcessorCount, MaxConcurrentFallbacks = 0 }))
            {
                await AsrAccuracy(flite, shed, script, intents, "_shed", cancel);
            }
        }

        var tts = new PromptCache(flite);
        // A warm-up round, not reported: a host serving calls has long since compiled its hot
        // paths, but in a fresh process the JIT's second tier recompiles them during the first
        // burst (12% of the CPU of a cold 50-call run) and the prompts are not yet cached.
        await RunCallsAsync(Math.Min(8, levels.Max()), script, intents, new RobotEngines(tts, asr), flite, callerSays, cancel);
        var best = 0;
        foreach (var calls in levels)
        {
            var timed = new TimedRecognizer(asr);
            var gcBefore = (Pause: GC.GetTotalPauseDuration(), Gen0: GC.CollectionCount(0), Gen2: GC.CollectionCount(2), Bytes: GC.GetTotalAllocatedBytes());
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var shedBefore = asr.FallbacksShed;
            var besideBefore = asr.ScriptModelsBeside;
            var wallBefore = Stopwatch.GetTimestamp();
            var (latencies, transferred, bargeIns) = await RunCallsAsync(calls, script, intents, new RobotEngines(tts, timed), flite, callerSays, cancel);
            timed.Report(calls);
            // A stop-the-world collection stalls every call's media loop at once, so the level's
            // pause total and allocation rate belong beside its latency.
            Line($"asr_script_models_beside_at_{calls}", asr.ScriptModelsBeside - besideBefore, "turns");
            Line($"asr_fallbacks_shed_at_{calls}", asr.FallbacksShed - shedBefore, "turns");
            Line($"cpu_cores_busy_at_{calls}", Math.Round((Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / Stopwatch.GetElapsedTime(wallBefore).TotalSeconds, 2), "cores");
            Line($"gc_pause_ms_at_{calls}", Math.Round((GC.GetTotalPauseDuration() - gcBefore.Pause).TotalMilliseconds, 1), "ms");
            Line($"gc_gen0_at_{calls}", GC.CollectionCount(0) - gcBefore.Gen0, "collections");
            Line($"gc_gen2_at_{calls}", GC.CollectionCount(2) - gcBefore.Gen2, "collections");
            Line($"allocated_mb_at_{calls}", Math.Round((GC.GetTotalAllocatedBytes() - gcBefore.Bytes) / 1048576.0, 1), "MB");
            latencies.Sort();
            var p50 = Aicc.Api.Bench.BenchOutput.Percentile(latencies, 0.5);
            var p95 = Aicc.Api.Bench.BenchOutput.Percentile(latencies, 0.95);
            Line($"reply_latency_p50_ms_at_{calls}", Math.Round(p50, 1), "ms");
            Line($"reply_latency_p95_ms_at_{calls}", Math.Round(p95, 1), "ms");
            Line($"transferred_at_{calls}", transferred, "calls");
            // Callers start talking while the interruptible question plays: from the barge-in
            // decision until the prompt's queued audio is gone (the limit is 200 ms).
            bargeIns.Sort();
            Line($"barge_in_stop_p95_ms_at_{calls}", Math.Round(Aicc.Api.Bench.BenchOutput.Percentile(bargeIns, 0.95), 1), "ms");
            Line($"barge_ins_at_{calls}", bargeIns.Count, "turns");
            if (calls == levels[0])
            {
                Line("reply_latency_p50_ms", Math.Round(p50, 1), "ms");
                Line("reply_latency_p95_ms", Math.Round(p95, 1), "ms");
            }
            if (transferred == calls && p95 <= targetMs)
            {
                best = Math.Max(best, calls);
            }
        }
        Line("concurrent_robot_calls", best, "calls");
    }

    // Wall time (what a caller waits for) and CPU time (what it costs the box, and what does not
    // swing with other load on a shared machine) per second of audio.
    private static async Task<(double Wall, double Cpu)> AsrRealTimeFactor(FliteSynthesizer flite, PocketSphinxRecognizer asr, Aicc.Domain.Conversation.Scripts.DialogScript script)
    {
        var phrases = ScriptRecogniser.GrammarPhrases(script, script.Intents.Select(i => i.Name));
        var audioSeconds = 0.0;
        var decode = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        foreach (var text in phrases.Take(20))
        {
            var pcm = (await flite.SynthesizeAsync(text, "kal16")).Samples;
            var coded = new byte[pcm.Length];
            MuLaw.Encode(pcm, coded);
            MuLaw.Decode(coded, pcm);
            var clock = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            using var session = asr.Start(new RecognitionContext(phrases, "en", phrases));
            for (var offset = 0; offset + 160 <= pcm.Length; offset += 160)
            {
                session.Accept(pcm.AsSpan(offset, 160));
            }
            session.Finish();
            decode += clock.Elapsed;
            cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            audioSeconds += pcm.Length / 8000.0;
        }
        return (decode.TotalSeconds / audioSeconds, cpu.TotalSeconds / audioSeconds);
    }

    /// <summary>
    /// Recognition through the telephone channel (G.711) at one step of the demo: every phrase
    /// of the script in three synthetic voices (flite kal16 and slt, espeak-ng en-us, a
    /// different synthesiser standing in for a different speaker), scored by whether the
    /// recognised words carry the phrase's intent. Phrases of the step's own intents go through
    /// its grammar; the others (another step's answers) test the script-model fallback.
    /// </summary>
    private static async Task AsrAccuracy(FliteSynthesizer flite, PocketSphinxRecognizer asr, Aicc.Domain.Conversation.Scripts.DialogScript script, IntentClassifier intents, string suffix, CancellationToken cancel)
    {
        var step = script.Nodes.OfType<AskNode>().First(n => n.Id == "pitch");
        var stepIntents = step.Expect.Select(e => e.Intent).Concat(script.GlobalIntents.Select(g => g.Intent)).ToHashSet(StringComparer.Ordinal);
        var context = new RecognitionContext(
            ScriptRecogniser.GrammarPhrases(script, stepIntents), "en", ScriptRecogniser.GrammarPhrases(script, script.Intents.Select(i => i.Name)));
        var voices = new List<(ISpeechSynthesizer Engine, string Voice)> { (flite, "kal16"), (flite, "slt") };
        if (EspeakSynthesizer.IsAvailable)
        {
            voices.Add((new EspeakSynthesizer(), "en-us"));
        }
        var cases = script.Intents.SelectMany(i => i.Examples.Select(text => (Text: text, i.Name)))
            .SelectMany(c => voices.Select(v => (c.Text, c.Name, v.Engine, v.Voice))).ToList();
        var results = new System.Collections.Concurrent.ConcurrentBag<(bool InStep, bool Right, string Voice)>();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, async (c, token) =>
        {
            var pcm = Resampler.Convert(await c.Engine.SynthesizeAsync(c.Text, c.Voice, token), 8000).Samples;
            var coded = new byte[pcm.Length];
            MuLaw.Encode(pcm, coded);
            MuLaw.Decode(coded, pcm);
            using var session = asr.Start(context);
            for (var offset = 0; offset + 160 <= pcm.Length; offset += 160)
            {
                session.Accept(pcm.AsSpan(offset, 160));
            }
            var heard = session.Finish();
            var right = heard.Text.Length > 0 && intents.Classify(heard.Text).Intent == c.Name;
            results.Add((stepIntents.Contains(c.Name), right, c.Voice));
        });
        double Share(Func<(bool InStep, bool Right, string Voice), bool> which) =>
            results.Where(which).Select(r => r.Right ? 1.0 : 0.0).DefaultIfEmpty(double.NaN).Average();
        Line($"asr_intent_accuracy_in_step{suffix}", Math.Round(Share(r => r.InStep), 4), "ratio");
        Line($"asr_intent_accuracy_other_steps{suffix}", Math.Round(Share(r => !r.InStep), 4), "ratio");
        foreach (var (_, voice) in voices)
        {
            Line($"asr_intent_accuracy_in_step_{voice}{suffix}", Math.Round(Share(r => r.InStep && r.Voice == voice), 4), "ratio");
        }
        Line($"asr_accuracy_n{suffix}", results.Count, "utterances");
    }

    private static void IntentAccuracy(IntentClassifier classifier)
    {
        var data = new DirectoryInfo(Path.Combine("tests", "Domain.Tests", "Conversation", "Data"));
        if (!data.Exists)
        {
            return;
        }
        var heldOut = data.GetFiles("heldout*.jsonl")
            .SelectMany(f => File.ReadLines(f.FullName))
            .Where(l => !string.IsNullOrWhiteSpace(l))
            .Select(l => JsonSerializer.Deserialize<IntentExample>(l, JsonSerializerOptions.Web)!)
            .ToList();
        // The English script's recogniser is scored on the English held-out lines of the intents
        // it knows (`aicc intent eval` scores both languages with the full training set).
        var known = classifier.Intents.ToHashSet(StringComparer.Ordinal);
        heldOut = heldOut.Where(e => known.Contains(e.Intent) && e.Lang is null or "en").ToList();
        if (heldOut.Count > 0)
        {
            Line("intent_accuracy_demo", Math.Round(IntentEvaluation.Run(classifier, heldOut).Accuracy, 4), "ratio");
            Line("intent_accuracy_demo_n", heldOut.Count, "utterances");
        }
    }

    private static async Task<(List<double> Latencies, int Transferred, List<double> BargeIns)> RunCallsAsync(
        int calls, Aicc.Domain.Conversation.Scripts.DialogScript script, IntentClassifier intents, RobotEngines engines, FliteSynthesizer flite, string callerSays, CancellationToken cancel)
    {
        using var clock = new MediaClock();
        var utterance = (await flite.SynthesizeAsync(callerSays, "kal16")).Samples;
        var tasks = Enumerable.Range(0, calls).Select(async i =>
        {
            // Stagger the starts as real traffic would, so turns do not all end on the same tick.
            await Task.Delay(i * 97 % 2000, cancel);
            return await OneCallAsync(clock, script, intents, engines, utterance, cancel);
        }).ToList();
        var results = await Task.WhenAll(tasks);
        return (results.SelectMany(r => r.Latencies).ToList(), results.Count(r => r.Transferred), results.SelectMany(r => r.BargeIns).ToList());
    }

    private static async Task<(IReadOnlyList<double> Latencies, bool Transferred, IReadOnlyList<double> BargeIns)> OneCallAsync(
        MediaClock clock, Aicc.Domain.Conversation.Scripts.DialogScript script, IntentClassifier intents, RobotEngines engines, short[] utterance, CancellationToken cancel)
    {
        await using var robotLeg = new MediaLeg(RtpSession.Open(IPAddress.Loopback), clock);
        await using var caller = new MediaLeg(RtpSession.Open(IPAddress.Loopback), clock);
        robotLeg.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, caller.Session.LocalRtp, null));
        caller.Session.Configure(new RtpSessionParameters(AudioCodec.Pcmu, 0, 101, robotLeg.Session.LocalRtp, null));
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        done.CancelAfter(TimeSpan.FromSeconds(90));
        var drain = Task.Run(async () =>
        {
            try
            {
                await foreach (var frame in caller.Inbound.ReadAllAsync(done.Token))
                {
                    frame.Dispose();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
        var robot = new RobotCall(robotLeg, script, intents, engines);
        var run = robot.RunAsync(Customer, cancel: done.Token);
        var spoke = false;
        var transferred = false;
        try
        {
            await foreach (var @event in robot.Events.ReadAllAsync(done.Token))
            {
                if (@event is DialogEvent.ListenRequested && !spoke)
                {
                    spoke = true;
                    _ = caller.PlayAsync(utterance, done.Token);
                }
                transferred |= @event is DialogEvent.TransferRequested;
            }
            await run;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
        }
        await done.CancelAsync();
        await drain;
        return (robot.ReplyLatenciesMs, transferred, robot.BargeInStopMs);
    }

    /// <summary>
    /// Times each turn's Finish (the ASR share of reply latency) and counts which turns the
    /// step grammar answered, so a slow figure shows whether the fallback path caused it.
    /// </summary>
    private sealed class TimedRecognizer(ISpeechRecognizer inner) : ISpeechRecognizer
    {
        private readonly List<double> _finishMs = [];
        private readonly Dictionary<string, int> _texts = new(StringComparer.Ordinal);
        private int _fromGrammar;

        public bool Supports(string language) => inner.Supports(language);

        public ISpeechRecognitionSession Start(RecognitionContext context) => new Session(this, inner.Start(context));

        public void Report(int calls)
        {
            List<double> sorted;
            lock (_finishMs)
            {
                sorted = [.. _finishMs.Order()];
            }
            Line($"asr_finish_p50_ms_at_{calls}", Math.Round(Aicc.Api.Bench.BenchOutput.Percentile(sorted, 0.5), 1), "ms");
            Line($"asr_finish_p95_ms_at_{calls}", Math.Round(Aicc.Api.Bench.BenchOutput.Percentile(sorted, 0.95), 1), "ms");
            Line($"asr_turns_from_grammar_at_{calls}", _fromGrammar, "turns");
            Line($"asr_turns_at_{calls}", sorted.Count, "turns");
            foreach (var (text, count) in _texts.OrderByDescending(t => t.Value).Take(3))
            {
                Console.Error.WriteLine($"[bench robot] {count} x '{text}'");
            }
        }

        private sealed class Session(TimedRecognizer owner, ISpeechRecognitionSession inner) : ISpeechRecognitionSession
        {
            public RecognitionHypothesis? Accept(ReadOnlySpan<short> frame) => inner.Accept(frame);

            public RecognitionHypothesis Finish()
            {
                var started = Stopwatch.GetTimestamp();
                var result = inner.Finish();
                var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                lock (owner._finishMs)
                {
                    owner._finishMs.Add(ms);
                    owner._fromGrammar += result.FromGrammar ? 1 : 0;
                    owner._texts[result.Text] = owner._texts.GetValueOrDefault(result.Text) + 1;
                }
                return result;
            }

            public void Dispose() => inner.Dispose();
        }
    }

    private static void Line(string metric, double value, string unit) =>
        Aicc.Api.Bench.BenchOutput.MetricAsIs(Suite, metric, value, unit);
}
