using System.Net;
using Aicc.Handlers.CallControl;
using Aicc.Telephony.CallControl;

namespace Aicc.Handlers.Switchboard;

/// <summary>The seat a queued call is offered to, as far as ringing its phone needs to know.</summary>
/// <param name="SipUser">The seat's SIP user (its softphone registers as sip:user@tenant-domain).</param>
public sealed record AgentSeat(Guid TenantId, Guid AgentId, string DisplayName, string SipUser);

/// <summary>
/// How the distributor rings an agent's phone. Softphones register either with the platform's
/// own registrar (the default, <see cref="RegisteredAgentPhones"/>) or with an edge proxy
/// (kamailio in front of WebRTC browsers, <see cref="EdgeProxyAgentPhones"/>); the queue only
/// needs a leg that rings and later answers or ends.
/// </summary>
public interface IAgentPhones
{
    /// <summary>Starts ringing the seat's phone; the leg's Answered or Hungup arrives on the hub.</summary>
    Task<CallLegId> RingAsync(AgentSeat seat, QueuedCall call, TimeSpan ringTimeout, CancellationToken cancellationToken);
}

/// <summary>
/// Each tenant's SIP domain, under which its agents' phones register (sip:user@domain) and
/// which is the Digest realm of their credentials (the registrar takes the realm from the To
/// host). One function shared by the credential handler, the credential store and the phones
/// so the three never disagree.
/// </summary>
public sealed class AgentSipDomains(Func<Guid, string> domainOf)
{
    /// <summary>What the host uses unless configured otherwise: a sub-domain per tenant of <c>agents.aicc.local</c>.</summary>
    public static AgentSipDomains Default { get; } = PerTenant("agents.aicc.local");

    /// <summary>Every tenant under one shared domain: usernames must then be unique across tenants.</summary>
    public static AgentSipDomains Shared(string domain) => new(_ => domain);

    /// <summary>A sub-domain per tenant (t{tenant id}.{parent}), so tenants choose usernames freely.</summary>
    public static AgentSipDomains PerTenant(string parent) => new(tenant => $"t{tenant:N}.{parent}");

    public string Of(Guid tenantId) => domainOf(tenantId).ToLowerInvariant();

    /// <summary>The address-of-record the seat's phone registers.</summary>
    public string AddressOfRecord(AgentSeat seat) => $"sip:{seat.SipUser}@{Of(seat.TenantId)}";
}

/// <summary>Rings phones registered with the platform's own registrar, at the contact they registered.</summary>
public sealed class RegisteredAgentPhones(ICallControl control, AgentSipDomains domains) : IAgentPhones
{
    public Task<CallLegId> RingAsync(AgentSeat seat, QueuedCall call, TimeSpan ringTimeout, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return control.CallRegisteredAsync(domains.AddressOfRecord(seat), CallerIdOf(call), CallerNameOf(call), ringTimeout);
    }

    /// <summary>The customer's number as the agent's phone shows it (digits and + only: it goes into a SIP URI user part).</summary>
    internal static string CallerIdOf(QueuedCall call)
    {
        var digits = new string(call.Caller.Where(c => char.IsAsciiDigit(c) || c == '+').ToArray());
        return digits.Length == 0 ? "anonymous" : digits;
    }

    internal static string? CallerNameOf(QueuedCall call) => call.SkillGroup;
}

/// <summary>
/// Rings phones registered with an edge proxy (kamailio in front of browser softphones): the
/// INVITE goes to the proxy for sip:user@tenant-domain, and the proxy finds the registered
/// browser. The proxy's location service owns the registrations, so nothing is looked up here.
/// </summary>
public sealed class EdgeProxyAgentPhones(ICallControl control, AgentSipDomains domains, IPEndPoint proxy, bool useTcp = false) : IAgentPhones
{
    public Task<CallLegId> RingAsync(AgentSeat seat, QueuedCall call, TimeSpan ringTimeout, CancellationToken cancellationToken) =>
        control.OriginateAsync(
            new OriginateRequest(
                seat.SipUser,
                proxy,
                RegisteredAgentPhones.CallerIdOf(call),
                RegisteredAgentPhones.CallerNameOf(call),
                ringTimeout,
                useTcp,
                TrunkDomain: domains.Of(seat.TenantId)),
            cancellationToken);
}
