using System.Diagnostics;
using Aicc.Handlers.Messaging.Outbox;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Handlers.Tests.Messaging;

/// <summary>
/// The test assembly's entry point, used only by the crash tests: they start this assembly as
/// a real worker process, wait until it is in the middle of handling, and kill it with SIGKILL.
/// <list type="bullet">
/// <item><c>scheduler CONNECTION LEASE_MS</c>: schedules a message, claims it, writes an effect
/// in the handler's transaction and hangs before committing.</item>
/// <item><c>outbox CONNECTION WEBHOOK_URL</c>: enqueues a message and relays it to the webhook,
/// which the test never answers.</item>
/// <item><c>dialer CONNECTION RING_TIMEOUT_MS</c>: the dialer host service with its own SIP call
/// control, dialing every running task until killed (the campaign crash test).</item>
/// </list>
/// </summary>
public static class CrashWorkerProgram
{
    public const string CrashType = "test.crash.v1";
    public const string CrashDestination = "crash-webhook";

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 3)
        {
            await Console.Error.WriteLineAsync("usage: scheduler CONNECTION LEASE_MS | outbox CONNECTION WEBHOOK_URL");
            return 2;
        }

        await using var dataSource = NpgsqlDataSource.Create(args[1]);
        return args[0] switch
        {
            "scheduler" => await RunSchedulerAsync(dataSource, TimeSpan.FromMilliseconds(int.Parse(args[2]))),
            "outbox" => await RunOutboxAsync(dataSource, new Uri(args[2])),
            "dialer" => await Dialing.CampaignDialerProcess.RunAsync(dataSource, TimeSpan.FromMilliseconds(int.Parse(args[2]))),
            _ => 2,
        };
    }

    private static async Task<int> RunSchedulerAsync(NpgsqlDataSource dataSource, TimeSpan lease)
    {
        var scheduled = await MessageScheduler.ScheduleAsync(
            dataSource, new ScheduledMessageRequest("tenant-a", CrashType, """{"redial":"c-42"}""", DateTimeOffset.UtcNow.AddMilliseconds(200)));
        Console.WriteLine($"scheduled {scheduled.Id}");
        var handlers = new ScheduledMessageHandlers().Add(CrashType, async (context, ct) =>
        {
            await MessagingDatabase.RecordEffectAsync(
                context.Connection, context.Transaction, context.Message.Id, $"child-{Environment.ProcessId}", context.Message.Attempt);
            Console.WriteLine($"handling {context.Message.Id}");
            await Task.Delay(Timeout.Infinite, ct);
        });
        var worker = new ScheduledMessageWorker(dataSource, handlers, new ScheduledMessageWorkerOptions { Lease = lease });
        await worker.RunAsync(CancellationToken.None);
        return 0;
    }

    private static async Task<int> RunOutboxAsync(NpgsqlDataSource dataSource, Uri webhook)
    {
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            var id = await Outbox.EnqueueAsync(
                connection, transaction, new OutboxEnvelope("tenant-a", CrashDestination, """{"event":"call.ended"}"""));
            await transaction.CommitAsync();
            Console.WriteLine($"enqueued {id}");
        }

        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var destinations = new OutboxDestinations().Add(CrashDestination, new WebhookDestination(http, webhook));
        var relay = new OutboxRelay(dataSource, destinations, new OutboxRelayOptions { Lease = TimeSpan.FromSeconds(1) });
        await relay.RunAsync(CancellationToken.None);
        return 0;
    }
}

/// <summary>Starts <see cref="CrashWorkerProgram"/> as a child process and reads its output lines.</summary>
public sealed class CrashWorkerProcess : IDisposable
{
    private readonly Process _process;

    public CrashWorkerProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(CrashWorkerProgram).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("The crash worker did not start.");
    }

    public int Id => _process.Id;

    /// <summary>Reads output lines until one starts with <paramref name="prefix"/>; returns the rest of it.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The crash worker did not print '{prefix}' within {timeout.TotalSeconds} s.");
            }

            if (line is null)
            {
                var error = await _process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"The crash worker exited before printing '{prefix}': {error}");
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line[prefix.Length..].Trim();
            }
        }
    }

    /// <summary>SIGKILL: no finally blocks, no disposal, no rollback from the client side.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
