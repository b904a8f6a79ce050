using Aicc.Domain.Employees;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Employees;

public partial class EmployeeTests
{
    private static readonly Spec<Employee, EmployeeEvent, EmployeeCommand> Spec =
        new(EmployeeDecider.Definition);

    private static readonly Guid EmployeeId = Guid.Parse("0195a000-0000-7000-8000-000000000e01");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid KeyId = Guid.Parse("0195a000-0000-7000-8000-0000000000c1");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static EmployeeEvent Registered(EmployeeRole role) =>
        new EmployeeEvent.Registered(EmployeeId, TenantId, "li.lei", "Li Lei", role, "pbkdf2$1", T0);

    private static readonly EmployeeEvent RegisteredAdmin = Registered(EmployeeRole.Admin);

    private static readonly EmployeeEvent RegisteredAgent = Registered(EmployeeRole.Agent);

    private static readonly EmployeeEvent KeyIssued =
        new EmployeeEvent.ApiKeyIssued(EmployeeId, KeyId, "crm", "sha256$key", T0.AddMinutes(5));
}
