using System.Text.RegularExpressions;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Scripts;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Serialization;

public class StoredEventNamesTests
{
    private static readonly Type[] Hierarchies =
    [
        typeof(TenantEvent), typeof(EmployeeEvent), typeof(AgentEvent), typeof(RobotEvent), typeof(LineEvent),
        typeof(CallTaskEvent), typeof(CustomerBatchEvent), typeof(CallEvent), typeof(ScriptEvent),
        typeof(Aicc.Domain.Compliance.DialListEvent), typeof(Aicc.Domain.Numbers.NumberPoolEvent), typeof(Aicc.Domain.Numbers.NumberLeaseEvent), typeof(Aicc.Domain.Dialing.Contacts.DialingContactEvent),
    ];

    [Fact]
    public void GivenEveryEventOfEveryStream_WhenLookedUp_ThenEachHasExactlyOneStoredName()
    {
        var events = Hierarchies.SelectMany(root => root.GetNestedTypes().Where(root.IsAssignableFrom)).ToHashSet();
        var named = StoredEventNames.All.Select(entry => entry.Type).ToList();

        Assert.Equal(events.OrderBy(t => t.FullName), named.Distinct().OrderBy(t => t.FullName));
        Assert.Equal(named.Count, named.Distinct().Count());
    }

    [Fact]
    public void GivenTheStoredNames_WhenCompared_ThenTheyAreUniqueVersionedAndNeverClrNames()
    {
        var names = StoredEventNames.All.Select(entry => entry.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
        Assert.All(names, name => Assert.Matches(new Regex("^[a-z_]+\\.[a-z_]+\\.v[1-9][0-9]*$"), name));
        Assert.Contains(new StoredEventName(typeof(CallEvent.Answered), "call.answered.v1"), StoredEventNames.All);
    }
}
