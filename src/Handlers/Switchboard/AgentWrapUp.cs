using System.Text.Json;
using Aicc.Domain.Agents;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;
using Npgsql;

namespace Aicc.Handlers.Switchboard;

/// <summary>
/// The end of an agent's after-call work as a durable scheduled message: scheduled in the same
/// transaction as the agent's "call ended", so a crash between the two cannot leave an agent in
/// wrap-up for ever, and run by whichever node's scheduler worker is up when it is due. An agent
/// who finished early (ready from the console) makes the message a no-op.
/// </summary>
public static class AgentWrapUp
{
    public const string MessageType = "agent.after-call-work-end.v1";

    /// <summary>The scheduled message's payload.</summary>
    public sealed record Payload(Guid AgentId, Guid CallId);

    public static Task<ScheduleResult> ScheduleAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid agentId, Guid callId, DateTimeOffset until, CancellationToken cancellationToken) =>
        MessageScheduler.ScheduleAsync(
            connection,
            transaction,
            new ScheduledMessageRequest(tenant, MessageType, JsonSerializer.Serialize(new Payload(agentId, callId)), until, $"acw:{agentId}:{callId}"),
            cancellationToken);

    /// <summary>Registers the handler that ends wrap-up (the agent becomes ready) and forgets the call's pop-up.</summary>
    public static ScheduledMessageHandlers AddAgentWrapUp(this ScheduledMessageHandlers handlers, PostgresEventStore store) =>
        handlers.Add(MessageType, async (context, cancellationToken) =>
        {
            var payload = JsonSerializer.Deserialize<Payload>(context.Message.PayloadJson)
                ?? throw new InvalidOperationException($"Empty {MessageType} payload.");
            var session = store.OpenSession(context.Connection, context.Transaction);
            await CommandRunner.RunAsync(
                session, store, Deciders.Agent, context.Message.Tenant, Deciders.Agent.StreamId(payload.AgentId),
                new AgentCommand.EndAfterCallWork(payload.AgentId, payload.CallId, context.Now),
                new EventMetadata(CorrelationId: payload.CallId.ToString(), CausationId: context.Message.Id.ToString(), User: "acd"),
                cancellationToken);
            await ForgetCallAsync(context.Connection, context.Transaction, context.Message.Tenant, payload.CallId, cancellationToken, payload.AgentId);
        });

    /// <summary>The call no longer needs the distributor's row (its pop-up data) once wrap-up is over.</summary>
    /// <remarks>
    /// With <paramref name="agentId"/> only while that agent is the call's last: a call transferred
    /// on to a colleague keeps its row when the first agent's wrap-up ends.
    /// </remarks>
    internal static async Task ForgetCallAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tenant, Guid callId, CancellationToken cancellationToken, Guid? agentId = null)
    {
        await using var command = new NpgsqlCommand(
            "delete from acd_calls where tenant = $1 and call_id = $2 and ($3::uuid is null or agent_id = $3)", connection, transaction);
        command.Parameters.AddWithValue(tenant);
        command.Parameters.AddWithValue(callId);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)agentId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
