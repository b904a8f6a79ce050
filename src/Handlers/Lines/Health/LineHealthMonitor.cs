using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Telephony.Sip.Pinging;
using Aicc.Telephony.Sip.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Lines.Health;

/// <summary>How often gateways are pinged and how many silent pings make a line down.</summary>
public sealed record LineHealthOptions
{
    /// <summary>Time between rounds (each round pings every active line of every tenant once).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Consecutive unanswered pings before a line goes down: one lost round (a gateway restarting,
    /// a burst of loss beyond timer E's retransmissions) must not stop dialing. One answer brings
    /// it back up, since an answer cannot be produced by accident.
    /// </summary>
    public int FailuresBeforeDown { get; init; } = 3;

    /// <summary>How long one ping waits for a final response.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>A health change the monitor wrote to a line's stream.</summary>
public sealed record LineHealthChange(string Tenant, Guid LineId, LineHealth Health, SipPingResult Ping);

/// <summary>
/// Pings every active line's gateway with SIP OPTIONS and writes the line's WentUp/WentDown only
/// when its health changes, so the stream records transitions and not every ping. Only one node
/// pings (the holder of a session-level advisory lock, as with the dialer's task lock): two
/// monitors would double the gateways' keep-alive traffic and race each other's counters. The
/// failure counters live in memory; a new leader starts them at zero, which at worst delays one
/// down by a few rounds.
/// </summary>
public sealed class LineHealthMonitor : BackgroundService
{
    private const string LockKeySql = "hashtextextended('aicc.line-health', 0)";

    private readonly PostgresEventStore _store;
    private readonly SipOptionsPinger _pinger;
    private readonly LineHealthOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<LineHealthMonitor> _logger;
    private readonly Dictionary<(string Tenant, Guid LineId), int> _failures = [];
    private readonly HashSet<(string Tenant, Guid LineId)> _unpingable = [];
    private NpgsqlConnection? _leadership;

    public LineHealthMonitor(PostgresEventStore store, SipOptionsPinger pinger, LineHealthOptions options, TimeProvider clock, ILogger<LineHealthMonitor> logger)
    {
        if (options.FailuresBeforeDown < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "A line goes down after at least one failed ping.");
        }

        _store = store;
        _pinger = pinger;
        _options = options;
        _clock = clock;
        _logger = logger;
    }

    /// <summary>Whether this process holds the monitor's lock (and so pings).</summary>
    public bool IsLeader => _leadership is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                // The first round too waits an interval: a node starting up pings once it is settled,
                // and a restart loop does not turn into a ping flood.
                await Task.Delay(_options.Interval, _clock, stoppingToken);
                try
                {
                    if (await TryLeadAsync(stoppingToken))
                    {
                        await RunRoundAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
                {
                    // A lost database connection also lost the lock: lead again (or not) next round.
                    _logger.LogWarning(ex, "Line health round failed");
                    await ReleaseLeadershipAsync();
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseLeadershipAsync();
        }
    }

    /// <summary>
    /// Takes the monitor's lock if no other node holds it, or checks that this node still does:
    /// the lock is re-entrant, and asking on a dead connection throws, which ends leadership.
    /// </summary>
    public async Task<bool> TryLeadAsync(CancellationToken cancellationToken)
    {
        var connection = _leadership ?? await _store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var tryLock = new NpgsqlCommand($"select pg_try_advisory_lock({LockKeySql})", connection);
        bool held;
        try
        {
            held = (bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (NpgsqlException)
        {
            _leadership = null;
            await connection.DisposeAsync();
            throw;
        }

        if (!held)
        {
            await connection.DisposeAsync();
            _leadership = null;
            _failures.Clear();
            return false;
        }

        _leadership = connection;
        return true;
    }

    /// <summary>Gives up the lock so another node may ping.</summary>
    public async ValueTask ReleaseLeadershipAsync()
    {
        if (_leadership is null)
        {
            return;
        }

        try
        {
            // The pooled connection may outlive this close; the lock must not.
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock_all()", _leadership);
            await unlock.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its lock with it.
        }

        await _leadership.DisposeAsync();
        _leadership = null;
    }

    /// <summary>Pings every active line once (concurrently) and writes the changes; returns them.</summary>
    public async Task<IReadOnlyList<LineHealthChange>> RunRoundAsync(CancellationToken cancellationToken)
    {
        var lines = await ActiveLinesAsync(cancellationToken);
        foreach (var gone in _failures.Keys.Where(k => !lines.Any(l => l.Tenant == k.Tenant && l.LineId == k.LineId)).ToList())
        {
            _failures.Remove(gone);
        }

        var pings = await Task.WhenAll(lines.Select(line => PingAsync(line, cancellationToken)));
        var changes = new List<LineHealthChange>();
        foreach (var (line, ping) in lines.Zip(pings))
        {
            if (ping is null)
            {
                continue;
            }

            var key = (line.Tenant, line.LineId);
            var failures = ping.Reachable ? 0 : _failures.GetValueOrDefault(key) + 1;
            _failures[key] = failures;
            LineCommand? command = ping.Reachable
                ? line.Health == LineHealth.Up ? null : new LineCommand.ReportUp(line.LineId, LineHealthSource.OptionsPing, _clock.GetUtcNow())
                : failures < _options.FailuresBeforeDown || line.Health == LineHealth.Down
                    ? null
                    : new LineCommand.ReportDown(line.LineId, LineHealthSource.OptionsPing, $"{failures} OPTIONS pings unanswered: {ping.Reason}", _clock.GetUtcNow());
            if (command is null)
            {
                continue;
            }

            try
            {
                var result = await CommandRunner.RunAsync(_store, Deciders.Line, line.Tenant, Deciders.Line.StreamId(line.LineId), command,
                    metadata: new EventMetadata(User: "system:line-health"), cancellationToken: cancellationToken);
                if (result.Events.Count > 0)
                {
                    var health = ping.Reachable ? LineHealth.Up : LineHealth.Down;
                    changes.Add(new LineHealthChange(line.Tenant, line.LineId, health, ping));
                    _logger.LogInformation("Line {Line} of tenant {Tenant} is {Health} ({Address}: {Detail})", line.LineId, line.Tenant, health,
                        line.Address, ping.Reachable ? $"{ping.Status} in {ping.RoundTrip.TotalMilliseconds:0} ms" : ping.Reason);
                }
            }
            catch (Domain.DomainException ex)
            {
                // Retired between the listing and the append.
                _logger.LogInformation("Line {Line} health not recorded: {Reason}", line.LineId, ex.Message);
            }
        }

        return changes;
    }

    private async Task<SipPingResult?> PingAsync(ActiveLine line, CancellationToken cancellationToken)
    {
        SipTransportKind? kind = line.Transport switch
        {
            "udp" => SipTransportKind.Udp,
            "tcp" => SipTransportKind.Tcp,
            _ => null,
        };
        var endPoint = kind is null ? null : await TaskDialerSettings.ResolveAsync(line.Address, cancellationToken);
        if (kind is null || endPoint is null)
        {
            // Health stays as it was: the dialer reports an address that does not resolve, and TLS
            // or WebSocket trunks are not something this stack sends on yet.
            if (_unpingable.Add((line.Tenant, line.LineId)))
            {
                _logger.LogWarning("Line {Line} of tenant {Tenant} cannot be pinged: {Transport} address '{Address}'", line.LineId, line.Tenant, line.Transport, line.Address);
            }

            return null;
        }

        return await _pinger.PingAsync(new SipRemote(kind.Value, endPoint), cancellationToken);
    }

    /// <summary>Every tenant's active lines, from the inline line list (no stream folds: busy lines have long streams).</summary>
    private async Task<List<ActiveLine>> ActiveLinesAsync(CancellationToken cancellationToken)
    {
        await using var command = _store.DataSource.CreateCommand(
            "select tenant, line_id, address, transport, health from line_list where active order by tenant, line_id");
        var lines = new List<ActiveLine>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var health = reader.GetString(4) switch
            {
                "up" => LineHealth.Up,
                "down" => LineHealth.Down,
                _ => LineHealth.Unknown,
            };
            lines.Add(new ActiveLine(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3), health));
        }

        return lines;
    }

    private sealed record ActiveLine(string Tenant, Guid LineId, string Address, string Transport, LineHealth Health);
}
