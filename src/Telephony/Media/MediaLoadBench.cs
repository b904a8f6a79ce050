using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Rtp;

namespace Aicc.Telephony.Media;

/// <summary>How the media benchmark ramps and judges.</summary>
public sealed record MediaBenchOptions
{
    /// <summary>Concurrent call counts to try, in rising order; the ramp stops at the first that fails.</summary>
    public IReadOnlyList<int> Levels { get; init; } = [100, 250, 500, 750, 1000, 1250, 1500, 2000];

    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan Measure { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The loss (both directions, in percent) a level may show and still count.</summary>
    public double MaxLossPercent { get; init; } = 0.1;

    /// <summary>Echo what each caller sends (true) or play a tone to each caller and discard what it sends.</summary>
    public bool Echo { get; init; } = true;

    /// <summary>Media clock threads; by default one per core.</summary>
    public int ClockWorkers { get; init; } = Environment.ProcessorCount;

    public int GeneratorSockets { get; init; } = 4;

    public int JitterDepth { get; init; } = 3;

    public AudioCodec Codec { get; init; } = AudioCodec.Pcmu;
}

/// <summary>What one level of the ramp measured.</summary>
public sealed record MediaBenchLevel(
    int Calls,
    double LossPercent,
    double EngineCpuPercent,
    double GeneratorCpuPercent,
    double EnginePacketsPerSecond,
    double EngineCpuMicrosecondsPerPacket,
    long SkippedTicks,
    long GeneratorLateTicks,
    double ClockLoad,
    bool Passed,
    long LostTowardsEngine,
    long DiscardedByEngine,
    long LostFromEngine);

/// <summary>
/// The concurrent-calls benchmark of the media engine, in one process over loopback: engine legs
/// (<see cref="MediaLeg"/> on a shared <see cref="MediaClock"/>, echoing or playing) are loaded by
/// an <see cref="RtpLoadGenerator"/> at rising call counts. A level passes when packet loss in both
/// directions stays within the limit, counting packets lost on the way, packets the engine's jitter
/// buffer discarded and frames the engine's clock skipped. CPU is reported for the engine alone (process time minus the generator's threads) as a
/// share of the whole machine.
/// </summary>
public sealed class MediaLoadBench : IAsyncDisposable
{
    private readonly MediaBenchOptions _options;
    private readonly MediaClock _clock;
    private readonly RtpLoadGenerator _generator;
    private readonly List<(MediaLeg Leg, Task Pump)> _legs = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly short[] _tone;

    public MediaLoadBench(MediaBenchOptions options)
    {
        _options = options;
        _clock = new MediaClock(options.ClockWorkers);
        _generator = new RtpLoadGenerator(IPAddress.Loopback, options.GeneratorSockets, options.Codec, toneHz: 1000);
        _tone = Audio.ToneGenerator.Generate(440, TimeSpan.FromSeconds(1));
        _generator.Start();
    }

    /// <summary>Runs the ramp, yielding each level as it is measured.</summary>
    public async IAsyncEnumerable<MediaBenchLevel> RunAsync([EnumeratorCancellation] CancellationToken cancel = default)
    {
        foreach (var calls in _options.Levels)
        {
            cancel.ThrowIfCancellationRequested();
            while (_legs.Count < calls)
            {
                AddLeg();
            }
            await Task.Delay(_options.Warmup, cancel).ConfigureAwait(false);
            MediaBenchLevel level;
            var attempt = 0;
            do
            {
                // A failed level is measured once more: on a shared machine one stall of another
                // process can skip a tick without the engine being at its limit.
                var before = Sample();
                await Task.Delay(_options.Measure, cancel).ConfigureAwait(false);
                var after = Sample();
                level = Judge(calls, before, after);
            }
            while (!level.Passed && ++attempt < 2);
            yield return level;
            if (!level.Passed)
            {
                yield break;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var (leg, pump) in _legs)
        {
            await leg.DisposeAsync().ConfigureAwait(false);
            try
            {
                await pump.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _generator.Dispose();
        _clock.Dispose();
        _stop.Dispose();
    }

    private void AddLeg()
    {
        // The leg is up and ticking before its caller starts sending, as after a real answer.
        var session = RtpSession.Open(IPAddress.Loopback, new RtpSessionOptions { JitterDepth = _options.JitterDepth });
        session.Configure(new RtpSessionParameters(_options.Codec, _options.Codec.PayloadType, null, _generator.NextCallSource, null));
        var leg = new MediaLeg(session, _clock);
        var from = _generator.AddCall(session.LocalRtp);
        if (!from.Equals(session.Statistics.LatchedRemote ?? from))
        {
            throw new InvalidOperationException("The generator sends from an unexpected address.");
        }
        var pump = _options.Echo ? EchoAsync(leg, _stop.Token) : PlayAndDiscardAsync(leg, _stop.Token);
        _legs.Add((leg, pump));
    }

    private static async Task EchoAsync(MediaLeg leg, CancellationToken stop)
    {
        await foreach (var frame in leg.Inbound.ReadAllAsync(stop).ConfigureAwait(false))
        {
            if (!leg.Outbound.TryWrite(frame))
            {
                frame.Dispose();
            }
        }
    }

    private async Task PlayAndDiscardAsync(MediaLeg leg, CancellationToken stop)
    {
        var drain = Task.Run(async () =>
        {
            await foreach (var frame in leg.Inbound.ReadAllAsync(stop).ConfigureAwait(false))
            {
                frame.Dispose();
            }
        }, stop);
        while (!stop.IsCancellationRequested)
        {
            await leg.PlayAsync(_tone, stop).ConfigureAwait(false);
        }
        await drain.ConfigureAwait(false);
    }

    private Sample Sample()
    {
        long received = 0;
        long sent = 0;
        long lost = 0;
        long discarded = 0;
        foreach (var (leg, _) in _legs)
        {
            var s = leg.Session.Statistics;
            received += s.PacketsReceived;
            sent += s.PacketsSent;
            lost += Math.Max(0, s.CumulativeLost);
            discarded += s.DroppedLate + s.DroppedForLatency;
        }
        using var process = Process.GetCurrentProcess();
        return new Sample(
            Stopwatch.GetTimestamp(),
            process.TotalProcessorTime,
            _generator.Snapshot(),
            received,
            sent,
            lost,
            discarded,
            _clock.SkippedTicks);
    }

    private MediaBenchLevel Judge(int calls, Sample before, Sample after)
    {
        var seconds = Stopwatch.GetElapsedTime(before.At, after.At).TotalSeconds;
        var skipped = after.Skipped - before.Skipped;
        // A skipped tick is a frame every leg of that worker did not send: count it as lost.
        var skippedFrames = skipped * calls / Math.Max(1, _options.ClockWorkers);
        var lostIn = (after.EngineLost - before.EngineLost) + (after.EngineDiscarded - before.EngineDiscarded);
        var expectedIn = (after.EngineReceived - before.EngineReceived) + (after.EngineLost - before.EngineLost);
        var lostOut = (after.Generator.Lost - before.Generator.Lost) + skippedFrames;
        var expectedOut = (after.Generator.Expected - before.Generator.Expected) + skippedFrames;
        var expected = Math.Max(1, expectedIn + expectedOut);
        var lossPercent = 100.0 * (lostIn + lostOut) / expected;
        var generatorCpu = (after.Generator.GeneratorCpu - before.Generator.GeneratorCpu).TotalSeconds;
        var processCpu = (after.ProcessCpu - before.ProcessCpu).TotalSeconds;
        var engineCpu = Math.Max(0, processCpu - generatorCpu);
        var cores = Environment.ProcessorCount;
        var packets = (after.EngineReceived - before.EngineReceived) + (after.EngineSent - before.EngineSent);
        var late = after.Generator.LateTicks - before.Generator.LateTicks;
        // Skipped ticks are already in the loss as frames not sent; a late generator only matters
        // if its bursts made the engine discard packets, which the loss also shows.
        var passed = lossPercent <= _options.MaxLossPercent;
        return new MediaBenchLevel(
            calls,
            lossPercent,
            100 * engineCpu / (seconds * cores),
            100 * generatorCpu / (seconds * cores),
            packets / seconds,
            packets == 0 ? 0 : engineCpu * 1e6 / packets,
            skipped,
            late,
            _clock.Load,
            passed,
            after.EngineLost - before.EngineLost,
            after.EngineDiscarded - before.EngineDiscarded,
            lostOut);
    }
}

internal readonly record struct Sample(
    long At,
    TimeSpan ProcessCpu,
    RtpLoadCounters Generator,
    long EngineReceived,
    long EngineSent,
    long EngineLost,
    long EngineDiscarded,
    long Skipped);
