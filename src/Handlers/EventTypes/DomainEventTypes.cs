using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;
using Aicc.EventStore;

namespace Aicc.Handlers.EventTypes;

/// <summary>
/// The stored names of every domain event: <c>{stream}.{event_in_snake_case}.v1</c>, e.g.
/// <c>call.answered.v1</c>. Names are generated from the closed event hierarchies for brevity,
/// but pinned by a golden list in the tests (tests/Handlers.Tests/EventTypes): renaming a
/// record fails that test, and the old name must then be kept with <see cref="Aliases"/> (or
/// an upcaster) so stored events stay readable.
/// </summary>
public static class DomainEventTypes
{
    /// <summary>Each stream's event hierarchy and the name prefix its events are stored under.</summary>
    public static readonly IReadOnlyList<(Type BaseType, string Prefix)> Hierarchies =
    [
        (typeof(TenantEvent), "tenant"),
        (typeof(EmployeeEvent), "employee"),
        (typeof(AgentEvent), "agent"),
        (typeof(RobotEvent), "robot"),
        (typeof(LineEvent), "line"),
        (typeof(CallTaskEvent), "task"),
        (typeof(CustomerBatchEvent), "customer_batch"),
        (typeof(CallEvent), "call"),
    ];

    /// <summary>Explicit names for types whose generated name changed; none yet.</summary>
    private static readonly IReadOnlyDictionary<Type, string> Aliases = new Dictionary<Type, string>();

    /// <summary>JSON settings for event data: web casing, enums as strings (readable history, safe to reorder).</summary>
    public static JsonSerializerOptions SerializerOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        return options;
    }

    public static EventTypeRegistry CreateRegistry()
    {
        var registry = new EventTypeRegistry(SerializerOptions());
        foreach (var (type, name) in All())
        {
            registry.Register(type, name);
        }

        return registry;
    }

    public static IEnumerable<(Type Type, string Name)> All() =>
        (from hierarchy in Hierarchies
         from type in hierarchy.BaseType.GetNestedTypes()
         where type.IsSealed && hierarchy.BaseType.IsAssignableFrom(type)
         select (type, Aliases.TryGetValue(type, out var alias) ? alias : $"{hierarchy.Prefix}.{SnakeCase(type.Name)}.v1"))
        .OrderBy(t => t.Item2, StringComparer.Ordinal);

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
