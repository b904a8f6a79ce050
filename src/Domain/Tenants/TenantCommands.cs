namespace Aicc.Domain.Tenants;

/// <summary>What operators and tenant admins ask of an enterprise account.</summary>
public abstract record TenantCommand
{
    private TenantCommand()
    {
    }

    /// <summary>Only a platform operator creates tenants; the handler checks the role, the command names who.</summary>
    public sealed record Create(Guid TenantId, string Name, TenantSettings Settings, Guid OperatorId, DateTimeOffset Now)
        : TenantCommand;

    public sealed record ChangeSettings(Guid TenantId, TenantSettings Settings, Guid ChangedBy, DateTimeOffset Now)
        : TenantCommand;

    public sealed record Suspend(Guid TenantId, string Reason, Guid OperatorId, DateTimeOffset Now) : TenantCommand;

    public sealed record Activate(Guid TenantId, Guid OperatorId, DateTimeOffset Now) : TenantCommand;
}
