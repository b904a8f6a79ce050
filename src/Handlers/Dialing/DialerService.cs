using Aicc.EventStore;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Aicc.Handlers.Dialing;

/// <summary>Settings of the process's dialer host.</summary>
public sealed record DialerServiceOptions
{
    /// <summary>How often the running tasks of every tenant are looked up.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a dialer that stopped with an error waits before it tries to lead its task again.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Ring time before an unanswered call is given up (no answer); null: the call control's default.</summary>
    public TimeSpan? RingTimeout { get; init; }

    /// <summary>Run a scheduler worker for the dialer's messages (redials due) in this process.</summary>
    public bool RunScheduler { get; init; } = true;

    /// <summary>The scheduler worker's settings (poll interval, lease).</summary>
    public ScheduledMessageWorkerOptions Scheduler { get; init; } = new();

    /// <summary>Adjusts each task's options after they are read from the streams (tests shorten waits).</summary>
    public Func<TaskDialerOptions, TaskDialerOptions> Adjust { get; init; } = options => options;
}

/// <summary>
/// Runs one <see cref="TaskDialer"/> per running task of every tenant in this process: a dialer
/// starts when its task is started or resumed and stops (hanging up and closing its calls) when
/// the task is paused, cancelled or completed. Several processes may run this service: each
/// task's advisory lock lets exactly one of their dialers dial it, and the others wait to take
/// over. Answered calls go to the <see cref="IAnsweredCallRouter"/> given (none: the call stays
/// up until the customer hangs up). With <see cref="LineSecrets"/> each INVITE carries its line's
/// trunk credentials, answering a carrier's digest challenge.
/// </summary>
public sealed class DialerService(
    PostgresEventStore store,
    CallEventHub hub,
    DialerServiceOptions options,
    IAnsweredCallRouter? router = null,
    ILoggerFactory? loggerFactory = null,
    TimeProvider? time = null,
    LineSecrets? secrets = null) : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DialerService>();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(Guid Tenant, Guid Task), Running> _dialers = new();
    private readonly Dictionary<(Guid Tenant, Guid Task), string> _problems = [];

    /// <summary>The tasks this process runs a dialer for (leading or waiting for the lock).</summary>
    public IReadOnlyCollection<(Guid Tenant, Guid Task)> Tasks => [.. _dialers.Keys];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var scheduler = options.RunScheduler
            ? new ScheduledMessageWorker(store.DataSource, new ScheduledMessageHandlers().AddRedialDue(store), options.Scheduler, time,
                (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ScheduledMessageWorker>()).RunAsync(stoppingToken)
            : Task.CompletedTask;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await ReconcileTasksAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    // The database is away for a moment: dialers that lose their lock stop on their own.
                    _logger.LogWarning(ex, "Could not read the running tasks; trying again");
                }

                await Task.Delay(options.Poll, time ?? TimeProvider.System, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            foreach (var running in _dialers.Values)
            {
                await running.Stop.CancelAsync();
            }

            foreach (var running in _dialers.Values)
            {
                await running.Loop;
                running.Stop.Dispose();
            }

            _dialers.Clear();
            await scheduler;
        }
    }

    /// <summary>Starts dialers for tasks that run and have none, stops those whose task no longer runs.</summary>
    public async Task ReconcileTasksAsync(CancellationToken cancellationToken)
    {
        var running = await RunningTasksAsync(store.DataSource, cancellationToken);
        foreach (var key in _dialers.Keys.Where(k => !running.Contains(k)).ToList())
        {
            var stopping = _dialers[key];
            _logger.LogInformation("Task {Task} of tenant {Tenant} no longer runs; stopping its dialer", key.Task, key.Tenant);
            await stopping.Stop.CancelAsync();
            await stopping.Loop;
            // Listed until its calls are hung up and closed.
            _dialers.TryRemove(key, out _);
            stopping.Stop.Dispose();
        }

        foreach (var key in running.Where(k => !_dialers.ContainsKey(k)))
        {
            var (taskOptions, problem) = await TaskDialerSettings.LoadAsync(store, key.Tenant, key.Task, options.RingTimeout, cancellationToken);
            if (taskOptions is null)
            {
                if (!_problems.TryGetValue(key, out var known) || known != problem)
                {
                    _logger.LogWarning("Task {Task} of tenant {Tenant} runs but cannot be dialed: {Problem}", key.Task, key.Tenant, problem);
                    _problems[key] = problem!;
                }

                continue;
            }

            _problems.Remove(key);
            var stop = new CancellationTokenSource();
            _dialers[key] = new Running(stop, SuperviseAsync(options.Adjust(taskOptions), stop.Token));
            _logger.LogInformation("Dialer started for task {Task} of tenant {Tenant}", key.Task, key.Tenant);
        }
    }

    /// <summary>Runs the task's dialer until stopped; one that fails (a lost lock, a database error) starts again and waits for the lock.</summary>
    private async Task SuperviseAsync(TaskDialerOptions taskOptions, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<TaskDialer>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await new TaskDialer(store, hub, taskOptions, router, time, logger, secrets).RunAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "The dialer of task {Task} stopped; starting it again", taskOptions.TaskId);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(options.RestartDelay, time ?? TimeProvider.System, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Every tenant's tasks whose newest lifecycle event is started or resumed, except those of a
    /// tenant whose newest suspend-or-activate event is a suspension: a suspended tenant is not
    /// dialed (its running dialers stop at the next poll) and resumes when it is activated again.
    /// </summary>
    public static async Task<HashSet<(Guid Tenant, Guid Task)>> RunningTasksAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            select tenant_id, stream_id from (
                select distinct on (tenant_id, stream_id) tenant_id, stream_id, type
                from es_events
                where type in ('task.started.v1', 'task.paused.v1', 'task.resumed.v1', 'task.completed.v1', 'task.cancelled.v1')
                order by tenant_id, stream_id, seq_id desc) newest
            where type in ('task.started.v1', 'task.resumed.v1')
              and coalesce((
                select t.type from es_events t
                where t.tenant_id = newest.tenant_id and t.type in ('tenant.suspended.v1', 'tenant.activated.v1')
                order by t.seq_id desc limit 1), '') <> 'tenant.suspended.v1'
            """);
        var result = new HashSet<(Guid, Guid)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var prefix = Deciders.Task.StreamType + "-";
        while (await reader.ReadAsync(cancellationToken))
        {
            var stream = reader.GetString(1);
            if (Guid.TryParse(reader.GetString(0), out var tenant) && stream.StartsWith(prefix, StringComparison.Ordinal)
                && Guid.TryParse(stream[prefix.Length..], out var task))
            {
                result.Add((tenant, task));
            }
        }

        return result;
    }

    private sealed record Running(CancellationTokenSource Stop, Task Loop);
}
