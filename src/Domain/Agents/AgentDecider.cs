using Aicc.Domain.Common;
using Presence = Aicc.Domain.Agents.AgentPresence;

namespace Aicc.Domain.Agents;

/// <summary>Decides seat commands: the presence state machine and the one-call-at-a-time rule.</summary>
public static class AgentDecider
{
    public static Agent Initial => Agent.Initial;

    public static Decider<AgentCommand, AgentEvent, Agent> Definition { get; } = new(Decide, Evolve, Initial);

    public static Agent Evolve(Agent state, AgentEvent @event) => Agent.Evolve(state, @event);

    public static IReadOnlyList<AgentEvent> Decide(AgentCommand command, Agent state) => (command, state) switch
    {
        (AgentCommand.Create c, Agent.None) => [Create(c)],
        (AgentCommand.Create c, Agent.Active s) when s.Profile.EmployeeId == c.EmployeeId => [],
        (AgentCommand.Create, _) => throw new DomainException("agent.already_exists", "An agent with this id already exists."),
        (_, Agent.None) => throw new DomainException("agent.not_found", "The agent does not exist."),
        (AgentCommand.Remove, Agent.Removed) => [],
        (_, Agent.Removed) => throw new DomainException("agent.removed", "The agent was removed."),
        (_, Agent.Active s) => DecideActive(command, s),
        _ => throw new DomainException("agent.unsupported", $"{command.GetType().Name} is not possible now."),
    };

    private static IReadOnlyList<AgentEvent> DecideActive(AgentCommand command, Agent.Active state) =>
        (command, state.Presence) switch
        {
            (AgentCommand.ChangeSkillGroups c, _) => ChangeSkillGroups(c, state.Profile),
            (AgentCommand.SetSipCredentials c, _) => SetSipCredentials(c, state.Profile),

            (AgentCommand.LogIn c, Presence.Offline) => [new AgentEvent.LoggedIn(c.AgentId, c.Now)],
            (AgentCommand.LogIn, _) => [],
            (AgentCommand.LogOut, Presence.Offline) => [],
            (AgentCommand.Remove c, Presence.Offline) => [new AgentEvent.Removed(c.AgentId, c.Now)],
            (AgentCommand.EndOffer or AgentCommand.EndCall or AgentCommand.EndAfterCallWork, Presence.Offline) => Stale(),
            (_, Presence.Offline) => throw new DomainException("agent.offline", "The agent is not logged in."),

            (AgentCommand.MakeReady c, Presence.NotReady) => [new AgentEvent.BecameReady(c.AgentId, c.Now)],
            (AgentCommand.MakeReady, Presence.Ready) => [],
            (AgentCommand.MakeReady c, Presence.AfterCallWork w) =>
                [new AgentEvent.AfterCallWorkEnded(c.AgentId, w.CallId, AfterCallWorkEnd.Agent, c.Now)],
            (AgentCommand.MakeReady, _) => throw Busy(),

            (AgentCommand.MakeNotReady c, _) => MakeNotReady(c, state.Presence),
            (AgentCommand.ForceNotReady c, _) => ForceNotReady(c, state.Presence),

            (AgentCommand.OfferCall c, Presence.Ready) => [new AgentEvent.CallOffered(c.AgentId, c.CallId, c.Now)],
            (AgentCommand.OfferCall c, Presence.Ringing r) when r.CallId == c.CallId => [],
            (AgentCommand.OfferCall c, Presence.OnCall o) when o.CallId == c.CallId => [],
            (AgentCommand.OfferCall, Presence.Ringing) => throw new DomainException(
                "agent.already_offered", "The agent is already being offered another call."),
            (AgentCommand.OfferCall, Presence.OnCall) => throw Busy(),
            (AgentCommand.OfferCall, _) => throw new DomainException("agent.not_ready", "The agent is not ready for calls."),

            (AgentCommand.PlaceCall c, Presence.Ready or Presence.NotReady) => [new AgentEvent.CallOffered(c.AgentId, c.CallId, c.Now)],
            (AgentCommand.PlaceCall c, Presence.Ringing r) when r.CallId == c.CallId => [],
            (AgentCommand.PlaceCall c, Presence.OnCall o) when o.CallId == c.CallId => [],
            (AgentCommand.PlaceCall, Presence.Ringing or Presence.OnCall) => throw Busy(),
            (AgentCommand.PlaceCall, _) => throw new DomainException(
                "agent.in_after_call_work", "Finish the wrap-up of the last call before dialing."),

            (AgentCommand.EndOffer c, Presence.Ringing r) when r.CallId == c.CallId => EndOffer(c),
            (AgentCommand.EndOffer, _) => Stale(),

            (AgentCommand.AcceptCall c, Presence.Ringing r) when r.CallId == c.CallId =>
                [new AgentEvent.CallAccepted(c.AgentId, c.CallId, c.Now)],
            (AgentCommand.AcceptCall c, Presence.OnCall o) when o.CallId == c.CallId => [],
            (AgentCommand.AcceptCall, _) => throw new DomainException(
                "agent.no_offer", "The agent is not being offered this call."),

            (AgentCommand.EndCall c, Presence.OnCall o) when o.CallId == c.CallId => EndCall(c),
            (AgentCommand.EndCall, _) => Stale(),

            (AgentCommand.EndAfterCallWork c, Presence.AfterCallWork w) when w.CallId == c.CallId =>
                c.Now >= w.Until
                    ? [new AgentEvent.AfterCallWorkEnded(c.AgentId, c.CallId, AfterCallWorkEnd.Timer, c.Now)]
                    : throw new DomainException("agent.after_call_work_not_due", $"Wrap-up runs until {w.Until:O}."),
            (AgentCommand.EndAfterCallWork, _) => Stale(),

            (AgentCommand.LogOut, Presence.Ringing or Presence.OnCall) => throw Busy(),
            (AgentCommand.LogOut c, _) => [new AgentEvent.LoggedOut(c.AgentId, c.Now)],

            (AgentCommand.Remove, _) => throw new DomainException("agent.logged_in", "Log the agent out before removing the seat."),

            _ => throw new DomainException("agent.unsupported", $"{command.GetType().Name} is not possible now."),
        };

    private static AgentEvent Create(AgentCommand.Create c)
    {
        if (string.IsNullOrWhiteSpace(c.DisplayName))
        {
            throw new DomainException("agent.name_required", "An agent needs a display name.");
        }

        return new AgentEvent.Created(
            c.AgentId, c.TenantId, c.EmployeeId, c.DisplayName.Trim(), Normalise(c.SkillGroups), c.Now);
    }

    private static IReadOnlyList<AgentEvent> ChangeSkillGroups(AgentCommand.ChangeSkillGroups c, AgentProfile profile)
    {
        var groups = Normalise(c.SkillGroups);
        return groups == profile.SkillGroups ? [] : [new AgentEvent.SkillGroupsChanged(c.AgentId, groups, c.Now)];
    }

    private static IReadOnlyList<AgentEvent> SetSipCredentials(AgentCommand.SetSipCredentials c, AgentProfile profile)
    {
        if (string.IsNullOrWhiteSpace(c.Username) || string.IsNullOrWhiteSpace(c.PasswordHash))
        {
            throw new DomainException("agent.sip_credentials_required", "A SIP username and password hash are required.");
        }

        var credentials = new SipCredentials(c.Username.Trim(), c.PasswordHash);
        return credentials == profile.Sip
            ? []
            : [new AgentEvent.SipCredentialsSet(c.AgentId, credentials.Username, credentials.PasswordHash, c.Now)];
    }

    private static IReadOnlyList<AgentEvent> MakeNotReady(AgentCommand.MakeNotReady c, Presence presence)
    {
        var reason = RequireReason(c.Reason);
        return presence switch
        {
            Presence.NotReady n when n.Reason == reason => [],
            Presence.Ready or Presence.NotReady or Presence.AfterCallWork =>
                [new AgentEvent.WentNotReady(c.AgentId, reason, c.Now)],
            _ => throw Busy(),
        };
    }

    private static IReadOnlyList<AgentEvent> ForceNotReady(AgentCommand.ForceNotReady c, Presence presence)
    {
        var reason = RequireReason(c.Reason);
        return presence switch
        {
            Presence.NotReady n when n.Reason == reason => [],
            Presence.Ready or Presence.NotReady or Presence.AfterCallWork =>
                [new AgentEvent.ForcedNotReady(c.AgentId, c.SupervisorId, reason, c.Now)],
            _ => throw Busy(),
        };
    }

    private static IReadOnlyList<AgentEvent> EndOffer(AgentCommand.EndOffer c)
    {
        if (!Enum.IsDefined(c.Reason))
        {
            throw new DomainException("agent.unknown_offer_end", $"'{c.Reason}' is not a reason an offer ends.");
        }

        return [new AgentEvent.OfferEnded(c.AgentId, c.CallId, c.Reason, c.Now)];
    }

    private static IReadOnlyList<AgentEvent> EndCall(AgentCommand.EndCall c)
    {
        if (c.AfterCallWork < TimeSpan.Zero)
        {
            throw new DomainException("agent.invalid_after_call_work", "Wrap-up time cannot be negative.");
        }

        AgentEvent ended = new AgentEvent.CallEnded(c.AgentId, c.CallId, c.Now + c.AfterCallWork, c.Now);
        return c.AfterCallWork == TimeSpan.Zero
            ? [ended, new AgentEvent.AfterCallWorkEnded(c.AgentId, c.CallId, AfterCallWorkEnd.Timer, c.Now)]
            : [ended];
    }

    /// <summary>
    /// Ring timeouts, wrap-up timers and hang-up reports arrive late and twice, often after the agent
    /// has moved on to the next call; one about a call that is not the current one changes nothing.
    /// </summary>
    private static IReadOnlyList<AgentEvent> Stale() => [];

    private static string RequireReason(string reason) =>
        string.IsNullOrWhiteSpace(reason)
            ? throw new DomainException("agent.reason_required", "Say why the agent is not ready.")
            : reason.Trim();

    private static ValueList<string> Normalise(ValueList<string> groups) =>
        groups.Where(group => !string.IsNullOrWhiteSpace(group))
            .Select(group => group.Trim())
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToValueList();

    private static DomainException Busy() =>
        new("agent.busy", "The agent is being offered or is on a call.");
}
