using Aicc.Domain.Common;

namespace Aicc.Domain.Agents;

/// <summary>
/// A human seat (seed 000's 人工坐席): linked to an employee, in skill groups, with a presence that
/// routing reads. The presence machine is what guarantees an agent is never offered two calls.
/// </summary>
public abstract record Agent
{
    private Agent()
    {
    }

    public sealed record None : Agent;

    public sealed record Active(AgentProfile Profile, AgentPresence Presence) : Agent;

    public sealed record Removed(AgentProfile Profile) : Agent;

    public static Agent Initial { get; } = new None();

    public static Agent Evolve(Agent state, AgentEvent @event) => (state, @event) switch
    {
        (None, AgentEvent.Created e) => new Active(
            new AgentProfile(e.AgentId, e.TenantId, e.EmployeeId, e.DisplayName, e.SkillGroups, null),
            new AgentPresence.Offline(e.CreatedAt)),
        (Active s, AgentEvent.SkillGroupsChanged e) => s with { Profile = s.Profile with { SkillGroups = e.SkillGroups } },
        (Active s, AgentEvent.SipCredentialsSet e) => s with
        {
            Profile = s.Profile with { Sip = new SipCredentials(e.Username, e.PasswordHash) },
        },
        (Active s, AgentEvent.LoggedIn e) => s with { Presence = new AgentPresence.Ready(e.LoggedInAt) },
        (Active s, AgentEvent.BecameReady e) => s with { Presence = new AgentPresence.Ready(e.ReadyAt) },
        (Active s, AgentEvent.WentNotReady e) => s with { Presence = new AgentPresence.NotReady(e.Reason, null, e.WentAt) },
        (Active s, AgentEvent.ForcedNotReady e) => s with
        {
            Presence = new AgentPresence.NotReady(e.Reason, e.SupervisorId, e.ForcedAt),
        },
        (Active s, AgentEvent.CallOffered e) => s with
        {
            Presence = new AgentPresence.Ringing(e.CallId, e.OfferedAt),
        },
        (Active s, AgentEvent.OfferEnded e) => s with
        {
            Presence = e.Reason == OfferEndReason.Unanswered
                ? new AgentPresence.NotReady(AgentPresence.MissedCallReason, null, e.EndedAt)
                : new AgentPresence.Ready(e.EndedAt),
        },
        (Active s, AgentEvent.CallAccepted e) => s with { Presence = new AgentPresence.OnCall(e.CallId, e.AcceptedAt) },
        (Active s, AgentEvent.CallEnded e) => s with
        {
            Presence = new AgentPresence.AfterCallWork(e.CallId, e.EndedAt, e.AfterCallWorkUntil),
        },
        (Active s, AgentEvent.AfterCallWorkEnded e) => s with { Presence = new AgentPresence.Ready(e.EndedAt) },
        (Active s, AgentEvent.LoggedOut e) => s with { Presence = new AgentPresence.Offline(e.LoggedOutAt) },
        (Active s, AgentEvent.Removed) => new Removed(s.Profile),
        _ => state,
    };
}

/// <summary>Who the agent is and how their softphone registers.</summary>
public sealed record AgentProfile(
    Guid AgentId,
    Guid TenantId,
    Guid EmployeeId,
    string DisplayName,
    ValueList<string> SkillGroups,
    SipCredentials? Sip);

/// <summary>SIP digest credentials: the registrar verifies with HA1, so that is what is stored.</summary>
/// <param name="PasswordHash">A <see cref="SipDigestSecret"/> in its text form (the HA1s are bound to the realm).</param>
public sealed record SipCredentials(string Username, string PasswordHash);

/// <summary>
/// What a seat's SIP password is kept as: the Digest realm (the tenant's SIP domain) and the
/// HA1 of each algorithm the registrar may challenge with (RFC 7616: MD5 and SHA-256). HA1
/// depends on the realm, so the realm is kept with it: a seat whose tenant domain changed
/// needs its password set again, and the credential store can tell.
/// </summary>
public sealed record SipDigestSecret(string Realm, string Ha1Md5, string Ha1Sha256)
{
    private const string Prefix = "digest:";

    /// <summary>The text stored as <see cref="SipCredentials.PasswordHash"/>.</summary>
    public override string ToString() => $"{Prefix}{Realm}:{Ha1Md5}:{Ha1Sha256}";

    /// <summary>Null for hashes of another form (older seats, or set by another tool).</summary>
    public static SipDigestSecret? TryParse(string? text)
    {
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = text[Prefix.Length..].Split(':');
        return parts is [{ Length: > 0 } realm, { Length: > 0 } md5, { Length: > 0 } sha256] ? new SipDigestSecret(realm, md5, sha256) : null;
    }
}

/// <summary>Where the agent is in the routing cycle, and since when (the board shows both).</summary>
public abstract record AgentPresence
{
    /// <summary>The not-ready reason given to an agent who let an offer ring out.</summary>
    public const string MissedCallReason = "missed call";

    private AgentPresence()
    {
    }

    public abstract DateTimeOffset Since { get; init; }

    public sealed record Offline(DateTimeOffset Since) : AgentPresence;

    public sealed record Ready(DateTimeOffset Since) : AgentPresence;

    /// <summary><paramref name="ForcedBy"/> names the supervisor when the agent did not choose it.</summary>
    public sealed record NotReady(string Reason, Guid? ForcedBy, DateTimeOffset Since) : AgentPresence;

    public sealed record Ringing(Guid CallId, DateTimeOffset Since) : AgentPresence;

    public sealed record OnCall(Guid CallId, DateTimeOffset Since) : AgentPresence;

    public sealed record AfterCallWork(Guid CallId, DateTimeOffset Since, DateTimeOffset Until) : AgentPresence;
}
