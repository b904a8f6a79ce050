using System.Collections.Concurrent;
using System.Net;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.EventStore;
using Aicc.EventStore.Schema;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Commands;
using Aicc.Handlers.EventTypes;
using Aicc.Handlers.Messaging.Scheduling;
using Aicc.Handlers.Switchboard;
using Aicc.Projections.Agents;
using Aicc.Telephony.Audio;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.UserAgents;
using Aicc.Telephony.Tests.CallControl;
using Aicc.Telephony.Tests.CallControl.Interop;
using Npgsql;

namespace Aicc.Handlers.Tests.Switchboard;

/// <summary>
/// One contact-center floor for the distributor's tests: the platform's SIP node with its own
/// registrar (agent seats' credentials from the database), the hub and the queue on it, a
/// scheduler worker for wrap-up ends, and a second SIP node that plays the customers' phones.
/// Agents' phones are real baresips registered with the platform.
/// </summary>
public sealed class SwitchboardFloor : IAsyncDisposable
{
    public const double CustomerTone = 600;
    public const double AgentTone = 900;

    private readonly MediaClock _clock = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<CallLegId>> _incoming = new();
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _background = [];
    private int _customers;

    private SwitchboardFloor(NpgsqlDataSource dataSource)
    {
        DataSource = dataSource;
    }

    public Guid TenantId { get; } = Guid.NewGuid();

    public string Tenant => Deciders.TenantKey(TenantId);

    public NpgsqlDataSource DataSource { get; }

    public PostgresEventStore Store { get; private set; } = null!;

    public SipRegistrar Registrar { get; } = new(TimeProvider.System);

    public CallControlNode Platform { get; private set; } = null!;

    public CallControlNode Customers { get; private set; } = null!;

    public CallEventHub Hub { get; private set; } = null!;

    public AgentSipDomains Domains { get; } = AgentSipDomains.PerTenant("aicc.test");

    public string Folder { get; } = Directory.CreateTempSubdirectory("aicc-acd-").FullName;

    public static async Task<SwitchboardFloor> StartAsync(NpgsqlDataSource dataSource)
    {
        var floor = new SwitchboardFloor(dataSource);
        await SchemaMigrator.ApplyAsync(dataSource, typeof(PostgresEventStore).Assembly);
        await SchemaMigrator.ApplyAsync(dataSource, typeof(AgentQueue).Assembly);
        await SchemaMigrator.ApplyAsync(dataSource, typeof(AgentBoardProjection).Assembly);
        floor.Store = new PostgresEventStore(dataSource, DomainEventTypes.CreateRegistry(), new EventStoreOptions
        {
            InlineProjections = [new AgentBoardProjection(), new AgentSipAccountsProjection()],
        });
        floor.Platform = CallControlNode.Start(floor._clock, floor.Registrar, new DigestAuthenticator(new AgentSipCredentialStore(dataSource), TimeProvider.System));
        floor.Customers = CallControlNode.Start(floor._clock, user: "customers");
        floor.Hub = new CallEventHub(floor.Platform.Control);
        floor._background.Add(Task.Run(() => floor.AnswerIncomingAsync(floor._stop.Token)));
        var worker = new ScheduledMessageWorker(
            dataSource,
            new ScheduledMessageHandlers().AddAgentWrapUp(floor.Store),
            new ScheduledMessageWorkerOptions { PollInterval = TimeSpan.FromMilliseconds(200) });
        floor._background.Add(Task.Run(() => worker.RunAsync(floor._stop.Token)));
        return floor;
    }

    /// <summary>A queue (one node's distributor) on the platform's hub, ringing phones registered with its registrar.</summary>
    public AgentQueue NewQueue(AgentQueueOptions? options = null, IAgentPhones? phones = null)
    {
        var queue = new AgentQueue(Store, Hub, phones ?? new RegisteredAgentPhones(Platform.Control, Domains), options ?? new AgentQueueOptions());
        _owned.Add(queue);
        return queue;
    }

    /// <summary>An agent seat with SIP credentials, logged in (ready) unless told otherwise.</summary>
    public async Task<(Guid AgentId, string SipUser)> AgentAsync(string name, string password, bool ready, params string[] skillGroups)
    {
        var agentId = Guid.NewGuid();
        var user = $"{name}{agentId.ToString("N")[..4]}";
        var now = DateTimeOffset.UtcNow;
        await AgentCommandAsync(agentId, new AgentCommand.Create(agentId, TenantId, Guid.NewGuid(), name, skillGroups.ToValueList(), now));
        await AgentCommandAsync(agentId, new AgentCommand.SetSipCredentials(agentId, user, AgentSipCredentialStore.HashPassword(user, Domains.Of(TenantId), password), now));
        if (ready)
        {
            await AgentCommandAsync(agentId, new AgentCommand.LogIn(agentId, DateTimeOffset.UtcNow));
        }

        return (agentId, user);
    }

    public Task AgentCommandAsync(Guid agentId, AgentCommand command) =>
        CommandRunner.RunAsync(Store, Deciders.Agent, Tenant, Deciders.Agent.StreamId(agentId), command);

    /// <summary>The agent's softphone: baresip registered with Digest at the platform under the tenant's domain, sending its tone.</summary>
    /// <summary>
    /// The agent's softphone registered with an edge proxy (kamailio) instead: the proxy's
    /// location service has it, the platform's registrar does not.
    /// </summary>
    public async Task<Baresip> PhoneAtProxyAsync(string sipUser, IPEndPoint proxy)
    {
        var wav = Path.Combine(Folder, $"{sipUser}.wav");
        WavFile.Write(wav, ToneGenerator.Generate(AgentTone, TimeSpan.FromSeconds(30)));
        var phone = await Baresip.StartAsync(wav, _ =>
            $"<sip:{sipUser}@{Domains.Of(TenantId)}>;outbound=\"sip:{proxy}\";regint=60;answermode=auto;audio_codecs=pcmu");
        _owned.Add(phone);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!(await phone.CommandAsync("reginfo")).ToString().Contains("OK", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sipUser} did not register at the proxy: {phone.Output}");
            }

            await Task.Delay(100);
        }

        return phone;
    }

    public async Task<Baresip> PhoneAsync(string sipUser, string password, bool autoAnswer = true, double tone = AgentTone)
    {
        var wav = Path.Combine(Folder, $"{sipUser}.wav");
        WavFile.Write(wav, ToneGenerator.Generate(tone, TimeSpan.FromSeconds(30)));
        var domain = Domains.Of(TenantId);
        var phone = await Baresip.StartAsync(wav, _ =>
            $"<sip:{sipUser}@{domain}>;auth_pass={password};outbound=\"sip:127.0.0.1:{Platform.Sip.Port}\";regint=60;answermode={(autoAnswer ? "auto" : "manual")};audio_codecs=pcmu");
        _owned.Add(phone);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Registrar.Lookup($"sip:{sipUser}@{domain}").Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{sipUser} did not register: {phone.Output}");
            }

            await Task.Delay(50);
        }

        return phone;
    }

    /// <summary>
    /// A customer calls the platform: the customers' node dials the platform node, which answers
    /// (as the inbound router would) and records the call; both legs are returned.
    /// </summary>
    public async Task<CustomerCall> CustomerCallsAsync(bool playTone = true)
    {
        var number = $"861380000{Interlocked.Increment(ref _customers):0000}";
        var arrived = _incoming.GetOrAdd(number, _ => new TaskCompletionSource<CallLegId>(TaskCreationOptions.RunContinuationsAsynchronously));
        var customerLeg = await Customers.Control.OriginateAsync(new OriginateRequest("4000", Platform.Sip, number));
        var platformLeg = await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var callId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAsync(Store, Deciders.Call, Tenant, Deciders.Call.StreamId(callId), new CallCommand.ReceiveInbound(callId, TenantId, Guid.NewGuid(), number, "4000", now));
        await CommandRunner.RunAsync(Store, Deciders.Call, Tenant, Deciders.Call.StreamId(callId), new CallCommand.Answer(callId, now));
        if (playTone)
        {
            var wav = Path.Combine(Folder, "customer.wav");
            lock (_incoming)
            {
                if (!File.Exists(wav))
                {
                    WavFile.Write(wav, ToneGenerator.Generate(CustomerTone, TimeSpan.FromSeconds(30)));
                }
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    // Wait for the customer's leg to be answered by the platform before playing.
                    for (var i = 0; i < 100; i++)
                    {
                        try
                        {
                            await Customers.Control.PlayFileAsync(customerLeg, wav);
                            return;
                        }
                        catch (InvalidOperationException)
                        {
                            await Task.Delay(50);
                        }
                    }
                }
                catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
                {
                }
            });
        }

        return new CustomerCall(callId, number, platformLeg, customerLeg);
    }

    public QueuedCall Queued(CustomerCall call, string skillGroup) => new(
        TenantId, call.CallId, call.PlatformLeg, skillGroup, call.Number, null,
        new Dictionary<string, string> { ["name"] = "Wang Fang", ["order"] = "A-1001" }, "robot: transfer_to_human", DateTimeOffset.UtcNow);

    public async Task<IReadOnlyList<object>> EventsAsync(string streamId) =>
        (await Store.ReadStreamAsync(Tenant, streamId, 1)).Select(e => e.Data).ToList();

    public Task<IReadOnlyList<object>> CallEventsAsync(Guid callId) => EventsAsync(Deciders.Call.StreamId(callId));

    public Task<IReadOnlyList<object>> AgentEventsAsync(Guid agentId) => EventsAsync(Deciders.Agent.StreamId(agentId));

    public async Task<string> BoardStateAsync(Guid agentId)
    {
        await using var command = DataSource.CreateCommand("select state from agent_board where tenant = $1 and agent_id = $2");
        command.Parameters.AddWithValue(Tenant);
        command.Parameters.AddWithValue(agentId);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }

    private async Task AnswerIncomingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var incoming in Hub.Incoming.ReadAllAsync(cancellationToken))
            {
                await Platform.Control.AnswerAsync(incoming.Leg, cancellationToken);
                _incoming.GetOrAdd(incoming.Caller, _ => new TaskCompletionSource<CallLegId>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(incoming.Leg);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Task.WhenAll(_background);
        await Hub.DisposeAsync();
        await Customers.DisposeAsync();
        await Platform.DisposeAsync();
        _clock.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>A customer's call as both nodes see it.</summary>
public sealed record CustomerCall(Guid CallId, string Number, CallLegId PlatformLeg, CallLegId CustomerLeg);
