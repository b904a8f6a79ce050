using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aicc.EventStore;

/// <summary>
/// Maps event CLR types to stable names (<c>call.answered.v1</c>) and back, and serialises event
/// data as JSON. Stored names never are CLR names, so types can be renamed or moved freely;
/// upcasters carry events written under an old name or shape forward to the current one.
/// </summary>
public sealed class EventTypeRegistry
{
    private readonly ConcurrentDictionary<string, Type> _typesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Type, string> _namesByType = new();
    private readonly ConcurrentDictionary<string, Func<JsonNode, (string Name, JsonNode Data)>> _upcasters = new(StringComparer.Ordinal);

    public EventTypeRegistry(JsonSerializerOptions? serializerOptions = null)
    {
        SerializerOptions = serializerOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
    }

    /// <summary>The System.Text.Json options used for event data and metadata.</summary>
    public JsonSerializerOptions SerializerOptions { get; }

    /// <summary>Registers <typeparamref name="T"/> under a stable name that is written with every event of that type.</summary>
    public EventTypeRegistry Register<T>(string name) => Register(typeof(T), name);

    public EventTypeRegistry Register(Type type, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (_typesByName.TryGetValue(name, out var existing) && existing != type)
        {
            throw new ArgumentException($"Event type name {name} is already registered for {existing.Name}.", nameof(name));
        }

        if (_namesByType.TryGetValue(type, out var existingName) && existingName != name)
        {
            throw new ArgumentException($"{type.Name} is already registered as {existingName}.", nameof(type));
        }

        _typesByName[name] = type;
        _namesByType[type] = name;
        return this;
    }

    /// <summary>
    /// Maps events stored as <paramref name="fromName"/> to <paramref name="toName"/> by rewriting
    /// their JSON; chains are followed until a name without upcaster is reached.
    /// </summary>
    public EventTypeRegistry AddUpcaster(string fromName, string toName, Func<JsonObject, JsonObject> upcast)
    {
        AddUpcasterCore(fromName, node => (toName, upcast(node.AsObject())));
        return this;
    }

    /// <summary>
    /// Maps events stored as <paramref name="fromName"/> through an old CLR shape
    /// <typeparamref name="TOld"/> (kept only for reading) to the registered <typeparamref name="TNew"/>.
    /// </summary>
    public EventTypeRegistry AddUpcaster<TOld, TNew>(string fromName, Func<TOld, TNew> upcast)
        where TNew : notnull
    {
        AddUpcasterCore(fromName, node =>
        {
            var old = node.Deserialize<TOld>(SerializerOptions)
                ?? throw new JsonException($"Event {fromName} deserialised to null.");
            var upcasted = upcast(old);
            return (NameOf(typeof(TNew)), JsonSerializer.SerializeToNode(upcasted, SerializerOptions)!);
        });
        return this;
    }

    private void AddUpcasterCore(string fromName, Func<JsonNode, (string, JsonNode)> upcaster)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fromName);
        if (_typesByName.ContainsKey(fromName))
        {
            throw new ArgumentException($"{fromName} is a current event type; only retired names can be upcast.", nameof(fromName));
        }

        if (!_upcasters.TryAdd(fromName, upcaster))
        {
            throw new ArgumentException($"An upcaster for {fromName} is already registered.", nameof(fromName));
        }
    }

    public bool IsRegistered(string name) => _typesByName.ContainsKey(name) || _upcasters.ContainsKey(name);

    /// <summary>The stable name of an event type; throws when the type was never registered.</summary>
    public string NameOf(Type type) =>
        _namesByType.TryGetValue(type, out var name)
            ? name
            : throw new UnknownEventTypeException($"{type.FullName} has no registered event type name; register it with EventTypeRegistry.Register.");

    public string Serialize(object data) => JsonSerializer.Serialize(data, data.GetType(), SerializerOptions);

    /// <summary>
    /// Turns stored JSON into the current CLR event, upcasting through retired names first.
    /// Names nobody registered come back as a <see cref="JsonElement"/> so that generic tools
    /// (tail, counts) still work on events of capabilities they do not know.
    /// </summary>
    public (string Name, object Data) Deserialize(string name, string json)
    {
        if (_typesByName.TryGetValue(name, out var type) && !_upcasters.ContainsKey(name))
        {
            return (name, JsonSerializer.Deserialize(json, type, SerializerOptions)
                ?? throw new JsonException($"Event {name} deserialised to null."));
        }

        if (!_upcasters.ContainsKey(name))
        {
            using var document = JsonDocument.Parse(json);
            return (name, document.RootElement.Clone());
        }

        var node = JsonNode.Parse(json) ?? throw new JsonException($"Event {name} holds JSON null.");
        var hops = 0;
        while (_upcasters.TryGetValue(name, out var upcaster))
        {
            if (++hops > 64)
            {
                throw new InvalidOperationException($"Upcaster chain from {name} does not end (cycle?).");
            }

            (name, node) = upcaster(node);
        }

        return _typesByName.TryGetValue(name, out type)
            ? (name, node.Deserialize(type, SerializerOptions) ?? throw new JsonException($"Event {name} deserialised to null."))
            : (name, JsonSerializer.SerializeToElement(node, SerializerOptions));
    }
}
