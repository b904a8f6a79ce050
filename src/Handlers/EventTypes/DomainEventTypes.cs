using System.Text.Json;
using System.Text.Json.Serialization;
using Aicc.Domain;
using Aicc.EventStore;

namespace Aicc.Handlers.EventTypes;

/// <summary>
/// The event store's type registry for the platform: every domain event under the stable name
/// the domain writes out for it (<see cref="StoredEventNames"/>), serialised with web casing
/// and enums as strings.
/// </summary>
public static class DomainEventTypes
{
    /// <summary>JSON settings for event data: web casing, enums as strings (readable history, safe to reorder).</summary>
    public static JsonSerializerOptions SerializerOptions()
    {
        // jsonb sorts object keys, so a polymorphic value's "type" tag (script nodes) comes back
        // after its other properties.
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { AllowOutOfOrderMetadataProperties = true };
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

    /// <summary>Every domain event type and its stored name (written out by hand in the domain).</summary>
    public static IEnumerable<(Type Type, string Name)> All() =>
        StoredEventNames.All.Select(e => (e.Type, e.Name));
}
