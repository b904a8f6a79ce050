using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Scripts;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Domain;

/// <summary>
/// The stable names events are stored under (<c>call.answered.v1</c>). Written out by hand rather
/// than derived from CLR names, so renaming or moving a record never orphans stored history; a
/// changed shape gets a new version and an upcaster from the old name. The host registers these
/// with the event store's type registry.
/// </summary>
public static class StoredEventNames
{
    public static IReadOnlyList<StoredEventName> All { get; } =
    [
        new(typeof(TenantEvent.Created), "tenant.created.v1"),
        new(typeof(TenantEvent.SettingsChanged), "tenant.settings_changed.v1"),
        new(typeof(TenantEvent.Suspended), "tenant.suspended.v1"),
        new(typeof(TenantEvent.Activated), "tenant.activated.v1"),
        new(typeof(EmployeeEvent.Registered), "employee.registered.v1"),
        new(typeof(EmployeeEvent.RoleChanged), "employee.role_changed.v1"),
        new(typeof(EmployeeEvent.PasswordChanged), "employee.password_changed.v1"),
        new(typeof(EmployeeEvent.ApiKeyIssued), "employee.api_key_issued.v1"),
        new(typeof(EmployeeEvent.ApiKeyRevoked), "employee.api_key_revoked.v1"),
        new(typeof(EmployeeEvent.Deactivated), "employee.deactivated.v1"),
        new(typeof(AgentEvent.Created), "agent.created.v1"),
        new(typeof(AgentEvent.SkillGroupsChanged), "agent.skill_groups_changed.v1"),
        new(typeof(AgentEvent.SipCredentialsSet), "agent.sip_credentials_set.v1"),
        new(typeof(AgentEvent.LoggedIn), "agent.logged_in.v1"),
        new(typeof(AgentEvent.BecameReady), "agent.became_ready.v1"),
        new(typeof(AgentEvent.WentNotReady), "agent.went_not_ready.v1"),
        new(typeof(AgentEvent.ForcedNotReady), "agent.forced_not_ready.v1"),
        new(typeof(AgentEvent.CallOffered), "agent.call_offered.v1"),
        new(typeof(AgentEvent.OfferEnded), "agent.offer_ended.v1"),
        new(typeof(AgentEvent.CallAccepted), "agent.call_accepted.v1"),
        new(typeof(AgentEvent.CallEnded), "agent.call_ended.v1"),
        new(typeof(AgentEvent.AfterCallWorkEnded), "agent.after_call_work_ended.v1"),
        new(typeof(AgentEvent.LoggedOut), "agent.logged_out.v1"),
        new(typeof(AgentEvent.Removed), "agent.removed.v1"),
        new(typeof(RobotEvent.Created), "robot.created.v1"),
        new(typeof(RobotEvent.ScriptPinned), "robot.script_pinned.v1"),
        new(typeof(RobotEvent.VoiceChanged), "robot.voice_changed.v1"),
        new(typeof(RobotEvent.CapacityChanged), "robot.capacity_changed.v1"),
        new(typeof(RobotEvent.Retired), "robot.retired.v1"),
        new(typeof(ScriptEvent.Created), "script.created.v1"),
        new(typeof(ScriptEvent.VersionPublished), "script.version_published.v1"),
        new(typeof(RobotEvent.InboundNumberAssigned), "robot.inbound_number_assigned.v1"),
        new(typeof(LineEvent.Created), "line.created.v1"),
        new(typeof(LineEvent.Reconfigured), "line.reconfigured.v1"),
        new(typeof(LineEvent.ChannelSeized), "line.channel_seized.v1"),
        new(typeof(LineEvent.ChannelReleased), "line.channel_released.v1"),
        new(typeof(LineEvent.WentUp), "line.went_up.v1"),
        new(typeof(LineEvent.WentDown), "line.went_down.v1"),
        new(typeof(LineEvent.Retired), "line.retired.v1"),
        new(typeof(CallTaskEvent.Created), "task.created.v1"),
        new(typeof(CallTaskEvent.Renamed), "task.renamed.v1"),
        new(typeof(CallTaskEvent.LineSet), "task.line_set.v1"),
        new(typeof(CallTaskEvent.HandlerSet), "task.handler_set.v1"),
        new(typeof(CallTaskEvent.PacingSet), "task.pacing_set.v1"),
        new(typeof(CallTaskEvent.CallingWindowsSet), "task.calling_windows_set.v1"),
        new(typeof(CallTaskEvent.RetryPolicySet), "task.retry_policy_set.v1"),
        new(typeof(CallTaskEvent.RateLimitSet), "task.rate_limit_set.v1"),
        new(typeof(CallTaskEvent.DispositionsSet), "task.dispositions_set.v1"),
        new(typeof(CallTaskEvent.CustomerBatchAccepted), "task.customer_batch_accepted.v1"),
        new(typeof(CallTaskEvent.Started), "task.started.v1"),
        new(typeof(CallTaskEvent.Paused), "task.paused.v1"),
        new(typeof(CallTaskEvent.Resumed), "task.resumed.v1"),
        new(typeof(CallTaskEvent.Completed), "task.completed.v1"),
        new(typeof(CallTaskEvent.Cancelled), "task.cancelled.v1"),
        new(typeof(CallTaskEvent.NumberPoolSet), "task.number_pool_set.v1"),
        new(typeof(CustomerBatchEvent.Opened), "customer_batch.opened.v1"),
        new(typeof(CustomerBatchEvent.CustomersAdded), "customer_batch.customers_added.v1"),
        new(typeof(CustomerBatchEvent.Sealed), "customer_batch.sealed.v1"),
        new(typeof(CustomerBatchEvent.Discarded), "customer_batch.discarded.v1"),
        new(typeof(CallEvent.OutboundCreated), "call.outbound_created.v1"),
        new(typeof(CallEvent.InboundArrived), "call.inbound_arrived.v1"),
        new(typeof(CallEvent.DialingStarted), "call.dialing_started.v1"),
        new(typeof(CallEvent.RingingStarted), "call.ringing_started.v1"),
        new(typeof(CallEvent.Answered), "call.answered.v1"),
        new(typeof(CallEvent.ConnectedToRobot), "call.connected_to_robot.v1"),
        new(typeof(CallEvent.Queued), "call.queued.v1"),
        new(typeof(CallEvent.OfferedToAgent), "call.offered_to_agent.v1"),
        new(typeof(CallEvent.OfferWithdrawn), "call.offer_withdrawn.v1"),
        new(typeof(CallEvent.ConnectedToAgent), "call.connected_to_agent.v1"),
        new(typeof(CallEvent.Transferred), "call.transferred.v1"),
        new(typeof(CallEvent.Held), "call.held.v1"),
        new(typeof(CallEvent.Resumed), "call.resumed.v1"),
        new(typeof(CallEvent.MonitorStarted), "call.monitor_started.v1"),
        new(typeof(CallEvent.MonitorModeChanged), "call.monitor_mode_changed.v1"),
        new(typeof(CallEvent.MonitorEnded), "call.monitor_ended.v1"),
        new(typeof(CallEvent.RecordingStarted), "call.recording_started.v1"),
        new(typeof(CallEvent.RecordingStopped), "call.recording_stopped.v1"),
        new(typeof(CallEvent.DtmfReceived), "call.dtmf_received.v1"),
        new(typeof(CallEvent.HungUp), "call.hung_up.v1"),
        new(typeof(CallEvent.DispositionSet), "call.disposition_set.v1"),
        new(typeof(CallEvent.PromptPlayed), "call.prompt_played.v1"),
        new(typeof(CallEvent.PromptInterrupted), "call.prompt_interrupted.v1"),
        new(typeof(CallEvent.UtteranceRecognised), "call.utterance_recognised.v1"),
        new(typeof(CallEvent.IntentDetected), "call.intent_detected.v1"),
        new(typeof(CallEvent.VariableSet), "call.variable_set.v1"),
        new(typeof(CallEvent.TransferRequested), "call.transfer_requested.v1"),
        new(typeof(CallEvent.TransferFailed), "call.transfer_failed.v1"),
        new(typeof(CallEvent.CallbackScheduled), "call.callback_scheduled.v1"),
        new(typeof(Compliance.DialListEvent.NumberListed), "dial_list.number_listed.v1"),
        new(typeof(Compliance.DialListEvent.NumberUnlisted), "dial_list.number_unlisted.v1"),
        new(typeof(Compliance.DialListEvent.LimitsSet), "dial_list.limits_set.v1"),
        new(typeof(Numbers.NumberPoolEvent.Created), "number_pool.created.v1"),
        new(typeof(Numbers.NumberPoolEvent.NumberSet), "number_pool.number_set.v1"),
        new(typeof(Numbers.NumberPoolEvent.NumberRemoved), "number_pool.number_removed.v1"),
        new(typeof(Numbers.NumberLeaseEvent.LeaseGranted), "number_lease.granted.v1"),
        new(typeof(Numbers.NumberLeaseEvent.LeaseRenewed), "number_lease.renewed.v1"),
        new(typeof(Numbers.NumberLeaseEvent.LeaseReleased), "number_lease.released.v1"),
        new(typeof(Numbers.NumberLeaseEvent.LeaseExpired), "number_lease.expired.v1"),
        new(typeof(Dialing.Contacts.DialingContactEvent.RedialScheduled), "dialing_contact.redial_scheduled.v1"),
        new(typeof(Dialing.Contacts.DialingContactEvent.RedialDue), "dialing_contact.redial_due.v1"),
        new(typeof(Dialing.Contacts.DialingContactEvent.DialRefused), "dialing_contact.dial_refused.v1"),
    ];
}

/// <summary>One event type and the name it is stored under.</summary>
public sealed record StoredEventName(Type Type, string Name);
