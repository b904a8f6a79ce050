using Aicc.Telephony.Media;

namespace Aicc.Telephony.CallControl;

public sealed partial class SipCallControl
{
    public async Task MonitorAsync(CallLegId agent, CallLegId monitor, MonitorMode mode)
    {
        var agentLeg = Get(agent);
        var monitorLeg = Get(monitor);
        var agentMedia = agentLeg.Media ?? throw new InvalidOperationException($"{agent} is not answered.");
        var monitorMedia = monitorLeg.Media ?? throw new InvalidOperationException($"{monitor} is not answered.");
        MediaBridge bridge;
        lock (agentLeg)
        {
            bridge = agentLeg.Bridge ?? throw new InvalidOperationException($"{agent} is not bridged.");
        }

        if (monitorLeg.Bridge is not null)
        {
            throw new InvalidOperationException($"{monitor} is bridged itself and cannot monitor.");
        }

        if (monitorLeg.Monitoring is { } earlier && !ReferenceEquals(earlier, bridge))
        {
            await earlier.DetachMonitorAsync().ConfigureAwait(false);
        }

        await bridge.AttachMonitorAsync(monitorMedia, agentMedia, mode).ConfigureAwait(false);
        monitorLeg.Monitoring = bridge;
    }

    public async Task StopMonitorAsync(CallLegId monitor)
    {
        if (_legs.TryGetValue(monitor.Value, out var leg))
        {
            await StopMonitoringAsync(leg).ConfigureAwait(false);
        }
    }

    private static async Task StopMonitoringAsync(Leg leg)
    {
        if (leg.Monitoring is not { } bridge)
        {
            return;
        }

        leg.Monitoring = null;
        if (ReferenceEquals(bridge.Monitor, leg.Media))
        {
            await bridge.DetachMonitorAsync().ConfigureAwait(false);
        }
    }
}
