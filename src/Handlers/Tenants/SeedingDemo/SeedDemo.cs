using Aicc.Domain.Agents;
using Aicc.Domain.Common;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Scripts;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Security;
using Aicc.Handlers.Tenants.CreatingTenant;

namespace Aicc.Handlers.Tenants.SeedingDemo;

/// <summary>
/// The demo tenant ./run starts with: an admin, a supervisor, two agents in the "sales" skill
/// group, the English and Chinese demo scripts, a robot seat pinned to the English one, and a line to a local test gateway. Seeding is
/// idempotent: the tenant has a fixed id, and a second run finds it and changes nothing.
/// </summary>
public static class SeedDemo
{
    public static readonly Guid DemoTenantId = Guid.Parse("0193a000-0000-7000-8000-00000000de70");

    /// <summary>The English demo script's id (the robot's pinned script).</summary>
    public static readonly Guid DemoScriptId = Guid.Parse("0193a000-0000-7000-8000-0000005c1e00");

    /// <summary>The Chinese demo script's id (keypad choices first; Mandarin speech is experimental).</summary>
    public static readonly Guid DemoChineseScriptId = Guid.Parse("0193a000-0000-7000-8000-0000005c1e01");

    public const string SkillGroup = "sales";

    /// <summary>The number inbound callers dial to reach the demo robot (sip:+862160000100@host:5080).</summary>
    public const string DemoRobotNumber = "+862160000100";

    /// <summary>A person of the demo tenant and the password they log in with.</summary>
    public sealed record Account(string Login, string Role, string Password, Guid EmployeeId, Guid? AgentId);

    /// <summary>Everything a demo user needs once: logins, passwords and the admin's API key.</summary>
    public sealed record Seeded(Guid TenantId, string ApiKey, IReadOnlyList<Account> Accounts, Guid RobotId, Guid LineId);

    /// <summary>Seeds the demo tenant; null when it exists already (its secrets were shown when it was made).</summary>
    public static async Task<Seeded?> HandleAsync(PostgresEventStore store, TimeProvider clock, CancellationToken cancellationToken)
    {
        var tenantKey = Deciders.TenantKey(DemoTenantId);
        if (await store.GetStreamAsync(tenantKey, Deciders.Tenant.StreamId(DemoTenantId), cancellationToken) is not null)
        {
            // Seeded before scripts were stored: publish them now (a repeat publishes nothing).
            await using var scriptConnection = await store.DataSource.OpenConnectionAsync(cancellationToken);
            await using var scriptTransaction = await scriptConnection.BeginTransactionAsync(cancellationToken);
            await PublishScriptsAsync(store.OpenSession(scriptConnection, scriptTransaction), store, clock.GetUtcNow(), cancellationToken);
            await scriptTransaction.CommitAsync(cancellationToken);
            return null;
        }

        var created = await CreateTenant.HandleAsync(store, "Demo Co", "admin", null, clock, cancellationToken, DemoTenantId);
        var accounts = new List<Account> { new("admin", "admin", created.AdminPassword, created.AdminId, null) };
        var now = clock.GetUtcNow();
        var metadata = new EventMetadata(CorrelationId: "demo-seed", User: CreateTenant.PlatformOperator.ToString());

        await using var connection = await store.DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = store.OpenSession(connection, transaction);

        async Task<Account> AddEmployeeAsync(string login, string displayName, EmployeeRole role, bool seat)
        {
            var employeeId = Guid.CreateVersion7();
            var password = Secrets.NewPassword();
            await CommandRunner.RunAsync(session, store, Deciders.Employee, tenantKey, Deciders.Employee.StreamId(employeeId),
                new EmployeeCommand.Register(employeeId, DemoTenantId, login, displayName, role, Secrets.HashPassword(password), now),
                metadata, cancellationToken);
            Guid? agentId = null;
            if (seat)
            {
                agentId = Guid.CreateVersion7();
                await CommandRunner.RunAsync(session, store, Deciders.Agent, tenantKey, Deciders.Agent.StreamId(agentId.Value),
                    new AgentCommand.Create(agentId.Value, DemoTenantId, employeeId, displayName, new ValueList<string>([SkillGroup]), now),
                    metadata, cancellationToken);
            }

            return new Account(login, role.ToString().ToLowerInvariant(), password, employeeId, agentId);
        }

        accounts.Add(await AddEmployeeAsync("supervisor", "Sam Supervisor", EmployeeRole.Supervisor, seat: false));
        accounts.Add(await AddEmployeeAsync("agent1", "Alice Agent", EmployeeRole.Agent, seat: true));
        accounts.Add(await AddEmployeeAsync("agent2", "Bob Agent", EmployeeRole.Agent, seat: true));

        await PublishScriptsAsync(session, store, now, cancellationToken);
        var robotId = Guid.CreateVersion7();
        await CommandRunner.RunAsync(session, store, Deciders.Robot, tenantKey, Deciders.Robot.StreamId(robotId),
            new RobotCommand.Create(robotId, DemoTenantId, "Demo robot", new ScriptVersion(DemoScriptId, 1), "kal16", 20, now),
            metadata, cancellationToken);

        var lineId = Guid.CreateVersion7();
        await CommandRunner.RunAsync(session, store, Deciders.Line, tenantKey, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, DemoTenantId, "Local test gateway",
                new LineConfig("sip:127.0.0.1:5080", LineTransport.Udp, null,
                    new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("+862160000000"), null), 30), now),
            metadata, cancellationToken);
        await CommandRunner.RunAsync(session, store, Deciders.Robot, tenantKey, Deciders.Robot.StreamId(robotId),
            new RobotCommand.AssignInboundNumber(robotId, DemoRobotNumber, lineId, SkillGroup, now),
            metadata, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Seeded(DemoTenantId, created.ApiKey, accounts, robotId, lineId);
    }

    /// <summary>The English and Chinese demo scripts as version 1 of the demo tenant's scripts.</summary>
    private static async Task PublishScriptsAsync(EventStoreSession session, PostgresEventStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var tenantKey = Deciders.TenantKey(DemoTenantId);
        var metadata = new EventMetadata(CorrelationId: "demo-seed", User: CreateTenant.PlatformOperator.ToString());
        foreach (var (scriptId, language) in new[] { (DemoScriptId, "en"), (DemoChineseScriptId, "zh") })
        {
            await CommandRunner.RunAsync(session, store, Deciders.Script, tenantKey, Deciders.Script.StreamId(scriptId),
                new ScriptCommand.Create(scriptId, DemoTenantId, RobotDemo.Script(language), now), metadata, cancellationToken);
        }
    }
}
