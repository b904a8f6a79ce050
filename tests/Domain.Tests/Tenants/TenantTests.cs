using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tenants;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Tenants;

public partial class TenantTests
{
    private static readonly Spec<Tenant, TenantEvent, TenantCommand> Spec =
        new(TenantDecider.Definition);

    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid Operator = Guid.Parse("0195a000-0000-7000-8000-0000000000aa");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly TenantEvent Created =
        new TenantEvent.Created(TenantId, "Acme", TenantSettings.Default, Operator, T0);

    private static readonly TenantEvent Suspended =
        new TenantEvent.Suspended(TenantId, "unpaid", Operator, T0.AddDays(1));

    private static readonly TenantSettings Berlin =
        new("Europe/Berlin", PhoneNumber.Parse("+49 30 1234567"), false);
}
