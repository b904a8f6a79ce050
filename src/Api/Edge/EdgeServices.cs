using System.Net;
using Aicc.Handlers.Agents.ProvisioningSoftphone;
using Aicc.Handlers.CallControl;
using Aicc.Handlers.Switchboard;

namespace Aicc.Api.Edge;

/// <summary>
/// What the host needs to know about the SIP edge, from configuration (<c>Edge:WebSocketUrl</c>
/// for browsers, <c>Edge:SipEndPoint</c> for the platform's INVITEs; ./run sets both). With an
/// edge, agents' phones register there, so the distributor rings them through it rather than
/// through the platform's own registrar.
/// </summary>
public static class EdgeServices
{
    public static IServiceCollection AddSoftphoneEdge(this IServiceCollection services, IConfiguration configuration)
    {
        var edge = new SoftphoneEdge(
            configuration["Edge:WebSocketUrl"],
            IPEndPoint.TryParse(configuration["Edge:SipEndPoint"] ?? "", out var sip) ? sip : null);
        services.AddSingleton(edge);
        if (edge.SipEndPoint is { } proxy)
        {
            // Resolved only by a host that carries calls (it has a CallEventHub); it wins over the
            // switchboard's TryAdd of the registrar-based phones whichever is registered first.
            services.AddSingleton<IAgentPhones>(provider => new EdgeProxyAgentPhones(
                provider.GetRequiredService<CallEventHub>().Control,
                provider.GetService<AgentSipDomains>() ?? AgentSipDomains.Default,
                proxy));
        }

        return services;
    }
}
