using System.Net;
using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;
using Npgsql;

namespace Aicc.Handlers.Tests.Dialing;

/// <summary>
/// A dialer process as a node runs it: one SIP call control on its own port, one event hub, and
/// the dialer host service (with its scheduler worker) for every running task; it runs until it
/// is killed. The campaign crash test starts it, kills it with SIGKILL and starts it again.
/// </summary>
public static class CampaignDialerProcess
{
    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, TimeSpan ringTimeout)
    {
        var store = new PostgresEventStore(dataSource, DomainEventTypes.CreateRegistry());
        using var clock = new MediaClock();
        await using var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System);
        await using var control = new SipCallControl(uas, clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback });
        await using var hub = new CallEventHub(control);
        using var loggers = new Microsoft.Extensions.Logging.LoggerFactory();
        if (Environment.GetEnvironmentVariable("AICC_DIALER_LOG") is { Length: > 0 } log)
        {
            loggers.AddProvider(new FileLoggerProvider(log));
        }

        var service = new DialerService(store, hub, new DialerServiceOptions
        {
            Poll = TimeSpan.FromMilliseconds(300),
            RestartDelay = TimeSpan.FromMilliseconds(200),
            RingTimeout = ringTimeout,
            Scheduler = new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(200) },
            Adjust = options => options with
            {
                LeadershipRetry = TimeSpan.FromMilliseconds(200),
                IdleWait = TimeSpan.FromMilliseconds(50),
                WorkRefresh = TimeSpan.FromMilliseconds(250),
                ShutdownGrace = TimeSpan.FromSeconds(2),
            },
        }, loggerFactory: loggers);
        await service.StartAsync(CancellationToken.None);
        Console.WriteLine($"dialing {Environment.ProcessId}");
        await Task.Delay(Timeout.Infinite);
        return 0;
    }
}

/// <summary>Writes the dialer process's warnings and information to a file the crash test prints when a run goes wrong.</summary>
internal sealed class FileLoggerProvider(string path) : Microsoft.Extensions.Logging.ILoggerProvider
{
    private readonly object _gate = new();

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    public void Dispose()
    {
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            File.AppendAllText(path, line + Environment.NewLine);
        }
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Information;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write($"{DateTime.UtcNow:HH:mm:ss.fff} {Environment.ProcessId} {logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
