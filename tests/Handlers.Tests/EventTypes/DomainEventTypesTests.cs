using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;
using Aicc.Handlers.EventTypes;

namespace Aicc.Handlers.Tests.EventTypes;

public sealed class DomainEventTypesTests
{
    private static readonly Type[] Hierarchies =
    [
        typeof(TenantEvent), typeof(EmployeeEvent), typeof(AgentEvent), typeof(RobotEvent),
        typeof(LineEvent), typeof(CallTaskEvent), typeof(CustomerBatchEvent), typeof(CallEvent),
    ];

    /// <summary>An event type without a stored name would fail only when first appended, in production.</summary>
    [Fact]
    public void EveryEventOfEveryStreamHasAStoredName()
    {
        var named = DomainEventTypes.All().Select(t => t.Type).ToHashSet();
        var events = Hierarchies.SelectMany(h => h.GetNestedTypes().Where(t => t.IsSealed && h.IsAssignableFrom(t))).ToList();

        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Contains(e, named));
    }

    [Fact]
    public void StoredNamesAreUniqueVersionedAndRegistered()
    {
        var registry = DomainEventTypes.CreateRegistry();
        var all = DomainEventTypes.All().ToList();

        Assert.Equal(all.Count, all.Select(t => t.Name).Distinct().Count());
        Assert.All(all, t => Assert.Matches(@"^[a-z_]+\.[a-z_0-9]+\.v\d+$", t.Name));
        Assert.All(all, t => Assert.Equal(t.Name, registry.NameOf(t.Type)));
    }
}
