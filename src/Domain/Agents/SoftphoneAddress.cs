namespace Aicc.Domain.Agents;

/// <summary>
/// How an agent's softphone is addressed at the SIP edge: the user part is the seat's id (unique
/// across tenants, so the edge's location lookup needs no domain) and the domain, which is also
/// the digest realm, is the tenant's own, so the same HA1 is never valid for two tenants.
/// </summary>
public static class SoftphoneAddress
{
    public const string DomainSuffix = ".tenants.aicc";

    public static string Username(Guid agentId) => agentId.ToString("N");

    public static string Domain(Guid tenantId) => tenantId.ToString("N") + DomainSuffix;

    /// <summary>The address of record the browser registers and the platform calls: <c>sip:user@tenant-domain</c>.</summary>
    public static string AddressOfRecord(string username, Guid tenantId) => $"sip:{username}@{Domain(tenantId)}";
}
