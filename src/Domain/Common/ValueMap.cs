using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aicc.Domain.Common;

/// <summary>
/// An immutable string-to-string map that compares by content (ordinal keys), for the free-form
/// variables and business data that travel with customers and calls (seed 001's biz_data).
/// </summary>
[JsonConverter(typeof(ValueMapJsonConverter))]
public sealed class ValueMap : IReadOnlyDictionary<string, string>, IEquatable<ValueMap>
{
    private readonly SortedDictionary<string, string> _items;

    public static ValueMap Empty { get; } = new([]);

    public ValueMap(IEnumerable<KeyValuePair<string, string>> items)
    {
        _items = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in items)
        {
            _items[key] = value;
        }
    }

    public static ValueMap Of(params (string Key, string Value)[] items) =>
        new(items.Select(item => KeyValuePair.Create(item.Key, item.Value)));

    public string this[string key] => _items[key];

    public IEnumerable<string> Keys => _items.Keys;

    public IEnumerable<string> Values => _items.Values;

    public int Count => _items.Count;

    public bool ContainsKey(string key) => _items.ContainsKey(key);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) =>
        _items.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ValueMap? other) => other is not null && _items.SequenceEqual(other._items);

    public override bool Equals(object? obj) => obj is ValueMap other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _items)
        {
            hash.Add(key);
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => "{" + string.Join(", ", _items.Select(item => $"{item.Key}={item.Value}")) + "}";

    /// <summary>Lets a <see cref="ValueMap"/> round-trip as a plain JSON object.</summary>
    public sealed class ValueMapJsonConverter : JsonConverter<ValueMap>
    {
        public override ValueMap Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<Dictionary<string, string>>(ref reader, options) ?? []);

        public override void Write(Utf8JsonWriter writer, ValueMap value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, new Dictionary<string, string>(value._items, StringComparer.Ordinal), options);
    }
}
