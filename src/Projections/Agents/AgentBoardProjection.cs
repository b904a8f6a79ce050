using Aicc.Domain.Agents;
using Aicc.EventStore;
using Npgsql;

namespace Aicc.Projections.Agents;

/// <summary>
/// Keeps the agent board (one row per seat: presence, reason, since when) in the append's
/// transaction, because supervisors act on what it shows and routing must never see a seat
/// in a state its stream has already left.
/// </summary>
public sealed class AgentBoardProjection : IInlineProjection
{
    public async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<RecordedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var recorded in events)
        {
            if (recorded.Data is not AgentEvent e)
            {
                continue;
            }

            if (e is AgentEvent.Created created)
            {
                await using var insert = new NpgsqlCommand(
                    """
                    insert into agent_board (tenant, agent_id, employee_id, display_name, skill_groups, state, since, version)
                    values ($1, $2, $3, $4, $5, 'offline', $6, $7) on conflict do nothing
                    """, connection, transaction);
                insert.Parameters.AddWithValue(recorded.Tenant);
                insert.Parameters.AddWithValue(created.AgentId);
                insert.Parameters.AddWithValue(created.EmployeeId);
                insert.Parameters.AddWithValue(created.DisplayName);
                insert.Parameters.AddWithValue(created.SkillGroups.ToArray());
                insert.Parameters.AddWithValue(created.CreatedAt);
                insert.Parameters.AddWithValue(recorded.Version);
                await insert.ExecuteNonQueryAsync(cancellationToken);
                continue;
            }

            await using var update = new NpgsqlCommand(UpdateSql(e), connection, transaction);
            update.Parameters.AddWithValue(recorded.Tenant);
            update.Parameters.AddWithValue(AgentIdOf(e));
            update.Parameters.AddWithValue(recorded.Version);
            foreach (var value in Values(e))
            {
                update.Parameters.Add(value is null ? new NpgsqlParameter { Value = DBNull.Value } : new NpgsqlParameter { Value = value });
            }

            await update.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private const string Presence =
        "update agent_board set state = $4, reason = $5, forced_by = $6, call_id = $7, since = $8, version = $3 where tenant = $1 and agent_id = $2";

    private static string UpdateSql(AgentEvent e) => e switch
    {
        AgentEvent.SkillGroupsChanged => "update agent_board set skill_groups = $4, version = $3 where tenant = $1 and agent_id = $2",
        AgentEvent.SipCredentialsSet => "update agent_board set version = $3 where tenant = $1 and agent_id = $2",
        AgentEvent.Removed => "update agent_board set removed = true, state = 'offline', since = $4, version = $3 where tenant = $1 and agent_id = $2",
        _ => Presence,
    };

    /// <summary>The parameters after tenant, agent and version, matching <see cref="UpdateSql"/>.</summary>
    private static object?[] Values(AgentEvent e) => e switch
    {
        AgentEvent.SkillGroupsChanged x => [x.SkillGroups.ToArray()],
        AgentEvent.SipCredentialsSet => [],
        AgentEvent.Removed x => [x.RemovedAt],
        AgentEvent.LoggedIn x => Row("ready", null, null, null, x.LoggedInAt),
        AgentEvent.BecameReady x => Row("ready", null, null, null, x.ReadyAt),
        AgentEvent.WentNotReady x => Row("not_ready", x.Reason, null, null, x.WentAt),
        AgentEvent.ForcedNotReady x => Row("not_ready", x.Reason, x.SupervisorId, null, x.ForcedAt),
        AgentEvent.CallOffered x => Row("ringing", null, null, x.CallId, x.OfferedAt),
        AgentEvent.OfferEnded x => x.Reason == OfferEndReason.Unanswered
            ? Row("not_ready", AgentPresence.MissedCallReason, null, null, x.EndedAt)
            : Row("ready", null, null, null, x.EndedAt),
        AgentEvent.CallAccepted x => Row("on_call", null, null, x.CallId, x.AcceptedAt),
        AgentEvent.CallEnded x => Row("after_call_work", null, null, x.CallId, x.EndedAt),
        AgentEvent.AfterCallWorkEnded x => Row("ready", null, null, null, x.EndedAt),
        AgentEvent.LoggedOut x => Row("offline", null, null, null, x.LoggedOutAt),
        _ => throw new InvalidOperationException($"Unhandled agent event {e.GetType().Name}."),
    };

    /// <summary>The presence an event puts the seat in and since when; null for events that change no presence.</summary>
    public static (string State, DateTimeOffset Since)? PresenceAfter(AgentEvent e) => e switch
    {
        AgentEvent.Created x => ("offline", x.CreatedAt),
        AgentEvent.Removed x => ("offline", x.RemovedAt),
        AgentEvent.SkillGroupsChanged or AgentEvent.SipCredentialsSet => null,
        _ => Values(e) is [string state, _, _, _, DateTimeOffset since] ? (state, since) : null,
    };

    private static object?[] Row(string state, string? reason, Guid? forcedBy, Guid? callId, DateTimeOffset since) =>
        [state, reason, forcedBy, callId, since];

    private static Guid AgentIdOf(AgentEvent e) => e switch
    {
        AgentEvent.Created x => x.AgentId,
        AgentEvent.SkillGroupsChanged x => x.AgentId,
        AgentEvent.SipCredentialsSet x => x.AgentId,
        AgentEvent.LoggedIn x => x.AgentId,
        AgentEvent.BecameReady x => x.AgentId,
        AgentEvent.WentNotReady x => x.AgentId,
        AgentEvent.ForcedNotReady x => x.AgentId,
        AgentEvent.CallOffered x => x.AgentId,
        AgentEvent.OfferEnded x => x.AgentId,
        AgentEvent.CallAccepted x => x.AgentId,
        AgentEvent.CallEnded x => x.AgentId,
        AgentEvent.AfterCallWorkEnded x => x.AgentId,
        AgentEvent.LoggedOut x => x.AgentId,
        AgentEvent.Removed x => x.AgentId,
        _ => throw new InvalidOperationException($"Unhandled agent event {e.GetType().Name}."),
    };
}
