using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Dialing;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Tests.Messaging;
using Aicc.Testing;
using Xunit.Abstractions;
using TaskWindow = Aicc.Domain.Tasks.CallingWindow;

namespace Aicc.Handlers.Tests.Dialing;

/// <summary>
/// The issue's crash test, for real: a 520-number campaign against sipp callees that answer,
/// are busy, fail or never answer; the dialer runs in a separate process that is killed with
/// SIGKILL twice at random moments and started again. Afterwards every number's attempts must
/// be exactly what the task's redial policy asks for: numbered 1..n with no gap and no
/// duplicate, each closed with an outcome, each redial due only after its delay, and the last
/// one final. sipp's own log shows no number received more INVITEs than it has attempts.
/// </summary>
public sealed class CampaignCrashTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const int Customers = 520;
    private static readonly TimeSpan RingTimeout = TimeSpan.FromMilliseconds(1500);

    private static readonly RetryPolicy Policy = new(
        Busy: new RetryRule(TimeSpan.FromSeconds(2), 3),
        NoAnswer: new RetryRule(TimeSpan.FromSeconds(2), 2),
        Failed: new RetryRule(TimeSpan.FromSeconds(1), 2),
        Abandoned: new RetryRule(TimeSpan.FromSeconds(1), 2));

    private readonly Guid _tenantId = Guid.NewGuid();
    private readonly string _sippWork = Directory.CreateTempSubdirectory("aicc-campaign-sipp-").FullName;
    private PostgresEventStore _store = null!;
    private Process? _sipp;

    private string Tenant => Deciders.TenantKey(_tenantId);

    public async Task InitializeAsync()
    {
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(database.DataSource, typeof(TaskDialer).Assembly);
        _store = new PostgresEventStore(database.DataSource, DomainEventTypes.CreateRegistry());
    }

    public async Task DisposeAsync()
    {
        if (_sipp is { HasExited: false })
        {
            _sipp.Kill(entireProcessTree: true);
            await _sipp.WaitForExitAsync();
        }

        _sipp?.Dispose();
        Directory.Delete(_sippWork, recursive: true);
    }

    [Fact]
    public async Task GivenACampaignOf520Numbers_WhenTheDialerProcessIsKilledTwice_ThenEveryNumbersAttemptsFollowTheRedialPolicyExactly()
    {
        var trunk = StartSipp();
        Environment.SetEnvironmentVariable("AICC_DIALER_LOG", Path.Combine(_sippWork, "dialer.log"));
        var (taskId, customers) = await StartCampaignAsync(trunk);
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"kill moments seeded with {seed}");
        var watch = Stopwatch.StartNew();

        for (var kill = 1; kill <= 2; kill++)
        {
            using var dialer = new CrashWorkerProcess("dialer", database.ConnectionString, ((int)RingTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
            await dialer.WaitForLineAsync("dialing ", TimeSpan.FromSeconds(60));
            var before = await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'call.dialing_started.v1'");
            // A random moment after the dialer has placed some calls of its own, while calls are in flight.
            await WaitUntilAsync(async () => await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'call.dialing_started.v1'") > before + 20, TimeSpan.FromSeconds(60));
            await Task.Delay(random.Next(200, 4000));
            await dialer.KillAsync();
            output.WriteLine($"kill {kill} at {watch.Elapsed.TotalSeconds:F1} s: {await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'call.dialing_started.v1'")} attempts recorded");
        }

        using (var survivor = new CrashWorkerProcess("dialer", database.ConnectionString, ((int)RingTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)))
        {
            await survivor.WaitForLineAsync("dialing ", TimeSpan.FromSeconds(60));
            try
            {
                await WaitUntilAsync(async () => await SettledAsync(taskId, customers), TimeSpan.FromSeconds(150));
            }
            catch (TimeoutException)
            {
                await DescribeAsync(taskId, customers);
                output.WriteLine($"sipp running: {!_sipp!.HasExited}");
                foreach (var sippLog in Directory.GetFiles(_sippWork, "*_messages.log"))
                {
                    var lines = File.ReadAllLines(sippLog);
                    var bye = Array.FindIndex(lines, l => l.StartsWith("BYE ", StringComparison.Ordinal));
                    foreach (var line in lines.Skip(Math.Max(0, bye - 2)).Take(bye < 0 ? 0 : 40))
                    {
                        output.WriteLine("sipp: " + line);
                    }
                }

                var log = Path.Combine(_sippWork, "dialer.log");
                foreach (var line in File.Exists(log) ? File.ReadLines(log).Where(l => !l.Contains(" Information ", StringComparison.Ordinal) || l.Contains("Dialer", StringComparison.Ordinal)).Take(40) : [])
                {
                    output.WriteLine(line);
                }

                throw;
            }

            await survivor.KillAsync();
        }

        output.WriteLine($"settled after {watch.Elapsed.TotalSeconds:F1} s");
        var calls = await CallsAsync(taskId);
        var invites = InvitesPerNumber();
        var windows = TaskDialingRules.Windows([new TaskWindow(TimeOnly.MinValue, TimeOnly.MaxValue)]);
        var redials = TaskDialingRules.Redials(Policy);
        var reconciled = 0;
        var duplicates = 0;
        var lost = 0;
        foreach (var customer in customers)
        {
            var attempts = calls.Where(c => c.CustomerId == customer.CustomerId).OrderBy(c => c.Attempt).ToList();
            Assert.NotEmpty(attempts);
            Assert.Equal(Enumerable.Range(1, attempts.Count), attempts.Select(a => a.Attempt));
            for (var i = 0; i < attempts.Count; i++)
            {
                var call = attempts[i];
                Assert.Equal(DialingContactDecider.AttemptCallId(taskId, customer.CustomerId, call.Attempt), call.CallId);
                Assert.NotNull(call.Outcome);
                reconciled += call.Reason == CloseReason.ChannelError && call.By == HangUpParty.Platform ? 1 : 0;
                var plan = RedialPlanner.Plan(redials, TaskDialingRules.Outcome(call.Outcome!.Value), call.Attempt, call.EndedAt!.Value, windows, TimeZoneInfo.Utc);
                if (i < attempts.Count - 1)
                {
                    var redial = Assert.IsType<RedialPlan.Redial>(plan);
                    Assert.Equal(call.Attempt + 1, redial.Attempt);
                    // The event store's clock and the dialer's differ by the commit's latency at most.
                    Assert.True(attempts[i + 1].DialedAt >= redial.At - TimeSpan.FromMilliseconds(50),
                        $"{customer.Phone.E164} attempt {redial.Attempt} dialed at {attempts[i + 1].DialedAt:O}, due {redial.At:O}");
                }
                else if (plan is RedialPlan.Redial)
                {
                    lost++;
                }
            }

            var received = invites.GetValueOrDefault(customer.Phone.E164);
            duplicates += Math.Max(0, received - attempts.Count);
        }

        output.WriteLine($"{calls.Count} attempts for {customers.Count} numbers; {reconciled} closed by reconciliation; outcomes {string.Join(", ", calls.GroupBy(c => c.Outcome).Select(g => $"{g.Key}={g.Count()}"))}");
        Assert.Equal(0, duplicates);
        Assert.Equal(0, lost);
        Assert.True(reconciled >= 1, "the kills hit no call in flight, so nothing was reconciled");
        Assert.All(new[] { CallOutcome.Abandoned, CallOutcome.Busy, CallOutcome.NoAnswer, CallOutcome.Failed }, o => Assert.Contains(calls, c => c.Outcome == o));
        Assert.Equal(0L, await CountAsync($"select count(*) from scheduled_messages where tenant = $1 and message_type = '{RedialDueMessage.Type}'"));
        // The killed dialers' seized channels were given back by the reconciliations that closed their calls.
        Assert.Equal((long)calls.Count, await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'line.channel_seized.v1'"));
        Assert.Equal(
            await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'line.channel_seized.v1'"),
            await CountAsync("select count(*) from es_events where tenant_id = $1 and type = 'line.channel_released.v1'"));
    }

    /// <summary>What is left when the campaign does not settle, for the test's output.</summary>
    private async Task DescribeAsync(Guid taskId, IReadOnlyList<TaskCustomer> customers)
    {
        var calls = await CallsAsync(taskId);
        output.WriteLine($"{calls.Count} attempts, {calls.Count(c => c.Outcome is null)} open, {calls.Select(c => c.CustomerId).Distinct().Count()} of {customers.Count} numbers dialed");
        await using (var pending = database.DataSource.CreateCommand("select message_type, due_at, attempts, coalesce(last_error, '') from scheduled_messages order by due_at limit 5"))
        await using (var reader = await pending.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                output.WriteLine($"pending {reader.GetString(0)} due {reader.GetFieldValue<DateTimeOffset>(1):O} attempts {reader.GetInt32(2)} {reader.GetString(3)}");
            }
        }

        await using (var open = database.DataSource.CreateCommand(
            """
            select right(c.data->>'called', 1) || ' ' || (select string_agg(e.type, ',' order by e.version) from es_events e where e.tenant_id = c.tenant_id and e.stream_id = c.stream_id), count(*)
            from es_events c
            where c.tenant_id = $1 and c.type = 'call.outbound_created.v1'
              and not exists (select 1 from es_events h where h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1')
            group by 1 order by 1
            """))
        {
            open.Parameters.AddWithValue(Tenant);
            await using var reader = await open.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                output.WriteLine($"open: {reader.GetString(0)} x{reader.GetInt64(1)}");
            }
        }

        output.WriteLine($"dead letters {await CountAsync("select count(*) from scheduled_message_dead_letters where tenant = $1")}, pending {await CountAsync("select count(*) from scheduled_messages where tenant = $1")}");
        var contacts = await new TaskAttempts(_store).ContactsAsync(_tenantId, taskId, CancellationToken.None);
        output.WriteLine($"contacts: {string.Join(", ", contacts.GroupBy(c => c.Last.GetType().Name).Select(g => $"{g.Key}={g.Count()}"))}");
        foreach (var c in contacts.Where(c => c.Last is DialingContactEvent.RedialDue).Take(3))
        {
            output.WriteLine($"due: {c.Last}");
        }
    }

    /// <summary>Every number is settled: all its attempts closed, and its last one needs no redial.</summary>
    private async Task<bool> SettledAsync(Guid taskId, IReadOnlyList<TaskCustomer> customers)
    {
        if (await CountAsync($"select count(*) from scheduled_messages where tenant = $1 and message_type = '{RedialDueMessage.Type}'") > 0)
        {
            return false;
        }

        var calls = await CallsAsync(taskId);
        if (calls.Any(c => c.Outcome is null))
        {
            return false;
        }

        var redials = TaskDialingRules.Redials(Policy);
        var last = calls.GroupBy(c => c.CustomerId).ToDictionary(g => g.Key, g => g.MaxBy(c => c.Attempt)!);
        return customers.All(c => last.TryGetValue(c.CustomerId, out var call)
            && RedialPlanner.Plan(redials, TaskDialingRules.Outcome(call.Outcome!.Value), call.Attempt, call.EndedAt!.Value, [], TimeZoneInfo.Utc) is RedialPlan.Done);
    }

    private async Task<(Guid TaskId, IReadOnlyList<TaskCustomer> Customers)> StartCampaignAsync(IPEndPoint trunk)
    {
        var now = DateTimeOffset.UtcNow;
        var robotId = Guid.NewGuid();
        var lineId = Guid.NewGuid();
        var taskId = Guid.NewGuid();
        await CommandRunner.RunAsync(_store, Deciders.Robot, Tenant, Deciders.Robot.StreamId(robotId),
            new RobotCommand.Create(robotId, _tenantId, "campaign robot", new ScriptVersion(Guid.NewGuid(), 1), "slt", 40, now));
        await CommandRunner.RunAsync(_store, Deciders.Line, Tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, _tenantId, "sipp", new LineConfig($"127.0.0.1:{trunk.Port}", LineTransport.Udp, null,
                new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+861058000000"), null), 40), now));
        var task = Deciders.Task.StreamId(taskId);
        await CommandRunner.RunAllAsync(_store, Deciders.Task, Tenant, task,
        [
            new CallTaskCommand.Create(taskId, _tenantId, "crash campaign", Guid.NewGuid(), now),
            new CallTaskCommand.SetLine(taskId, lineId, now),
            new CallTaskCommand.SetHandler(taskId, new TaskHandler.Robot(robotId), now),
            new CallTaskCommand.SetPacing(taskId, new TaskPacing(TaskPacingMode.Agentless, null, TaskPacing.DefaultAbandonCap), now),
            new CallTaskCommand.SetCallingWindows(taskId, ValueList.Of(new TaskWindow(TimeOnly.MinValue, TimeOnly.MaxValue)), now),
            new CallTaskCommand.SetRetryPolicy(taskId, Policy, now),
        ]);
        // Abandoned calls reached the person; the tenant's default (one reached call per 3 days)
        // would refuse their redials, which this test wants to see made.
        await CommandRunner.RunAsync(_store, Deciders.DialLists, Tenant, Deciders.DialLists.StreamId(_tenantId),
            new DialListCommand.SetLimits(Tenant, new ContactLimits(PerCalleeMax: 10), now));

        var batchId = Guid.NewGuid();
        var prefix = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var customers = Enumerable.Range(0, Customers)
            .Select(i => new TaskCustomer(Guid.NewGuid(), i + 2, PhoneNumber.Parse($"+86138{prefix}{i:D4}"), ValueMap.Empty))
            .ToList();
        var batch = Deciders.CustomerBatch.StreamId(batchId);
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, Tenant, batch, new CustomerBatchCommand.Open(batchId, taskId, _tenantId, "campaign.csv", now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, Tenant, batch, new CustomerBatchCommand.AddCustomers(batchId, 0, customers.ToValueList(), now));
        await CommandRunner.RunAsync(_store, Deciders.CustomerBatch, Tenant, batch, new CustomerBatchCommand.Seal(batchId, 0, 0, now));
        await CommandRunner.RunAllAsync(_store, Deciders.Task, Tenant, task,
        [
            new CallTaskCommand.AcceptCustomerBatch(taskId, batchId, Customers, 0, 0, now),
            new CallTaskCommand.Start(taskId, now),
        ]);
        return (taskId, customers);
    }

    private sealed record AttemptRow(Guid CallId, Guid CustomerId, int Attempt, DateTimeOffset DialedAt, CallOutcome? Outcome, CloseReason? Reason, HangUpParty? By, DateTimeOffset? EndedAt);

    private async Task<List<AttemptRow>> CallsAsync(Guid taskId)
    {
        await using var command = database.DataSource.CreateCommand(
            """
            select (c.data->>'callId')::uuid, (c.data->>'customerId')::uuid, (d.data->>'attempt')::int, (d.data->>'dialingAt')::timestamptz,
                   h.data->>'outcome', h.data->>'reason', h.data->>'by', (h.data->>'hungUpAt')::timestamptz
            from es_events c
            join es_events d on d.tenant_id = c.tenant_id and d.stream_id = c.stream_id and d.type = 'call.dialing_started.v1'
            left join es_events h on h.tenant_id = c.tenant_id and h.stream_id = c.stream_id and h.type = 'call.hung_up.v1'
            where c.tenant_id = $1 and c.type = 'call.outbound_created.v1' and c.data->>'taskId' = $2
            """);
        command.Parameters.AddWithValue(Tenant);
        command.Parameters.AddWithValue(taskId.ToString());
        var rows = new List<AttemptRow>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(new AttemptRow(
                reader.GetGuid(0),
                reader.GetGuid(1),
                reader.GetInt32(2),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : Enum.Parse<CallOutcome>(reader.GetString(4)),
                reader.IsDBNull(5) ? null : Enum.Parse<CloseReason>(reader.GetString(5)),
                reader.IsDBNull(6) ? null : Enum.Parse<HangUpParty>(reader.GetString(6)),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return rows;
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(Tenant);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private IPEndPoint StartSipp()
    {
        var port = FreeUdpPort();
        var start = new ProcessStartInfo("sipp")
        {
            WorkingDirectory = _sippWork,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_campaign.xml"), "-i", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-mp", FreeUdpPort().ToString(CultureInfo.InvariantCulture), "-trace_msg", "-nostdin" })
        {
            start.ArgumentList.Add(a);
        }

        _sipp = Process.Start(start)!;
        _ = _sipp.StandardOutput.ReadToEndAsync();
        _ = _sipp.StandardError.ReadToEndAsync();
        Thread.Sleep(300);
        Assert.False(_sipp.HasExited, "sipp did not start");
        return new IPEndPoint(IPAddress.Loopback, port);
    }

    /// <summary>How many distinct calls (Call-IDs) sipp received an INVITE for, per dialed number.</summary>
    private Dictionary<string, int> InvitesPerNumber()
    {
        var calls = new Dictionary<string, HashSet<string>>();
        foreach (var log in Directory.GetFiles(_sippWork, "*_messages.log"))
        {
            string? number = null;
            foreach (var line in File.ReadLines(log))
            {
                if (line.StartsWith("INVITE sip:", StringComparison.Ordinal))
                {
                    number = line["INVITE sip:".Length..].Split('@', ' ', ';')[0];
                }
                else if (number is not null && line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase))
                {
                    if (!calls.TryGetValue(number, out var ids))
                    {
                        calls[number] = ids = [];
                    }

                    ids.Add(line[8..].Trim());
                    number = null;
                }
                else if (line.Length == 0)
                {
                    number = null;
                }
            }
        }

        return calls.ToDictionary(kv => kv.Key, kv => kv.Value.Count);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout.TotalSeconds} s");
            }

            await Task.Delay(250);
        }
    }

    private static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
