using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Npgsql;
using NpgsqlTypes;

namespace Aicc.Api.Tests.Calls;

/// <summary>
/// Calls as the distributor records them, written straight to the store for tests of the
/// endpoints that act on them: a customer's inbound call queued for sales and, when an agent is
/// given, connected to that agent and carried by another node ("node-elsewhere").
/// </summary>
internal static class DistributedCalls
{
    public const string Caller = "8613800001234";

    public static async Task<Guid> QueuedAsync(PostgresEventStore store, Guid tenantId)
    {
        var callId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        foreach (var command in new CallCommand[]
        {
            new CallCommand.ReceiveInbound(callId, tenantId, Guid.NewGuid(), Caller, "4000", now),
            new CallCommand.Answer(callId, now),
            new CallCommand.Queue(callId, "sales", now),
        })
        {
            await CommandRunner.RunAsync(store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command);
        }

        return callId;
    }

    public static async Task<Guid> ConnectedElsewhereAsync(
        PostgresEventStore store, Guid tenantId, Guid agentId, string variablesJson = "{}", string? context = null)
    {
        var tenant = Deciders.TenantKey(tenantId);
        var callId = await QueuedAsync(store, tenantId);
        var now = DateTimeOffset.UtcNow;
        async Task Call(CallCommand c) => await CommandRunner.RunAsync(store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), c);
        async Task Agent(AgentCommand c) => await CommandRunner.RunAsync(store, Deciders.Agent, tenant, Deciders.Agent.StreamId(agentId), c);
        await Agent(new AgentCommand.LogIn(agentId, now));
        await Agent(new AgentCommand.OfferCall(agentId, callId, now));
        await Call(new CallCommand.OfferToAgent(callId, agentId, now));
        await Agent(new AgentCommand.AcceptCall(agentId, callId, now));
        await Call(new CallCommand.ConnectAgent(callId, agentId, now));
        await using var claim = store.DataSource.CreateCommand("""
            insert into acd_calls (tenant, call_id, skill_group, queued_at, node, lease_until, state, agent_id, caller, variables, context)
            values ($1, $2, 'sales', now(), 'node-elsewhere', now() + interval '10 seconds', 'connected', $3, $4, $5::jsonb, $6)
            """);
        claim.Parameters.AddWithValue(tenant);
        claim.Parameters.AddWithValue(callId);
        claim.Parameters.AddWithValue(agentId);
        claim.Parameters.AddWithValue(Caller);
        claim.Parameters.AddWithValue(variablesJson);
        claim.Parameters.Add(new NpgsqlParameter { Value = (object?)context ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await claim.ExecuteNonQueryAsync();
        return callId;
    }
}
