using System.Net;
using System.Net.Sockets;
using Aicc.Domain.Dialing;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.Commands;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// Builds a task dialer's options from the streams that own them: the task (line, pacing,
/// windows, retries, rate limit, number pool, who takes answered calls), its line (trunk address,
/// transport, channels, caller-ID rule, dial prefix), the tenant (time zone, default caller ID)
/// and, for robot tasks, the robot (capacity).
/// </summary>
public static class TaskDialerSettings
{
    /// <summary>The options, or why the task cannot be dialed yet (no line, no caller ID, an address that does not resolve).</summary>
    public static async Task<(TaskDialerOptions? Options, string? Problem)> LoadAsync(
        PostgresEventStore store, Guid tenantId, Guid taskId, TimeSpan? ringTimeout, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(tenantId);
        var (task, _) = await CommandRunner.LoadAsync(store, Deciders.Task, tenant, Deciders.Task.StreamId(taskId), cancellationToken);
        if (task is not CallTask.Existing { Setup: var setup })
        {
            return (null, "the task does not exist");
        }

        if (setup.LineId is not { } lineId)
        {
            return (null, "the task has no line");
        }

        var (line, _) = await CommandRunner.LoadAsync(store, Deciders.Line, tenant, Deciders.Line.StreamId(lineId), cancellationToken);
        if (line is not Line.Active active)
        {
            return (null, $"line {lineId} is not active");
        }

        if (active.Health == LineHealth.Down)
        {
            // The health monitor found the gateway silent; the next reconcile after it answers again starts dialing.
            return (null, $"line {lineId} is down");
        }

        var (tenantState, _) = await CommandRunner.LoadAsync(store, Deciders.Tenant, tenant, Deciders.Tenant.StreamId(tenantId), cancellationToken);
        if (tenantState is Tenant.Suspended)
        {
            return (null, "the tenant is suspended");
        }

        var tenantSettings = tenantState switch
        {
            Tenant.Active a => a.Settings,
            _ => null,
        };
        var callerId = active.Config.CallerId switch
        {
            { Mode: CallerIdMode.Fixed, FixedNumber: { } fixedNumber } => fixedNumber,
            _ => tenantSettings?.DefaultCallerId,
        };
        var usePool = active.Config.CallerId.Mode == CallerIdMode.TaskNumberPool && setup.NumberPoolId is not null;
        if (callerId is null && !usePool)
        {
            return (null, "no caller ID: the line presents the task's pool but the task has none, and the tenant has no default caller ID");
        }

        var trunk = await ResolveAsync(active.Config.Address, cancellationToken);
        if (trunk is null)
        {
            return (null, $"the line's address '{active.Config.Address}' does not resolve");
        }

        var robotSlots = active.Config.MaxChannels;
        if (setup.Handler is TaskHandler.Robot or TaskHandler.RobotThenAgent)
        {
            var robotId = setup.Handler switch
            {
                TaskHandler.Robot r => r.RobotId,
                TaskHandler.RobotThenAgent r => r.RobotId,
                _ => Guid.Empty,
            };
            var (robot, _) = await CommandRunner.LoadAsync(store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId), cancellationToken);
            robotSlots = robot is Robot.Active r2 ? r2.Capacity : 0;
        }

        var zone = tenantSettings is not null && TimeZoneInfo.TryFindSystemTimeZoneById(tenantSettings.TimeZone, out var tz) ? tz : TimeZoneInfo.Utc;
        var options = new TaskDialerOptions(
            tenantId,
            taskId,
            lineId,
            // With a pool the per-call choice replaces this; it stays the fallback for a pool that cannot be read.
            callerId ?? PhoneNumber.Parse("+10000000000"),
            trunk,
            TaskDialingRules.Pacing(setup.Pacing, setup.MaxCallsPerMinute),
            active.Config.MaxChannels,
            robotSlots)
        {
            RingTimeout = ringTimeout,
            UseTcp = active.Config.Transport == LineTransport.Tcp,
            DialPrefix = active.Config.CallerId.DialPrefix,
            Redials = TaskDialingRules.Redials(setup.Retry),
            Windows = TaskDialingRules.Windows(setup.Windows),
            NumberPoolId = usePool ? setup.NumberPoolId : null,
            DefaultZone = zone,
            SkillGroup = setup.Handler switch
            {
                TaskHandler.AgentGroup g => g.SkillGroup,
                _ => null,
            },
        };
        return (options, null);
    }

    /// <summary>A line address (<c>host[:port]</c>, optionally <c>sip:</c>-prefixed) as the endpoint SIP goes to; null when it does not resolve.</summary>
    internal static async Task<IPEndPoint?> ResolveAsync(string address, CancellationToken cancellationToken)
    {
        var text = address.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? address[4..] : address;
        var host = text;
        var port = 5060;
        var colon = text.LastIndexOf(':');
        if (colon > 0 && !text.EndsWith(']') && int.TryParse(text[(colon + 1)..], out var parsed) && text.Count(ch => ch == ':') == 1)
        {
            host = text[..colon];
            port = parsed;
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            return new IPEndPoint(ip, port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host, AddressFamily.InterNetwork, cancellationToken);
            return addresses.Length == 0 ? null : new IPEndPoint(addresses[0], port);
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
