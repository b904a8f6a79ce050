using System.Collections.Immutable;
using Aicc.Domain.Numbers;

namespace Aicc.Domain.Tests.Numbers;

/// <summary>A small real prefix and city table (coordinates of city centres).</summary>
internal static class TestCities
{
    public static CityDirectory Directory { get; } = new(
        new Dictionary<string, string>
        {
            ["+8610"] = "Beijing",
            ["+86139010"] = "Beijing",
            ["+8622"] = "Tianjin",
            ["+8621"] = "Shanghai",
            ["+86991"] = "Urumqi",
            ["+8620"] = "Guangzhou",
            ["+1212"] = "New York",
        }.ToImmutableDictionary(),
        new Dictionary<string, City>
        {
            ["Beijing"] = new("Beijing", 39.9042, 116.4074, "Asia/Shanghai"),
            ["Tianjin"] = new("Tianjin", 39.3434, 117.3616, "Asia/Shanghai"),
            ["Shanghai"] = new("Shanghai", 31.2304, 121.4737, "Asia/Shanghai"),
            ["Urumqi"] = new("Urumqi", 43.8256, 87.6168, "Asia/Urumqi"),
            ["Guangzhou"] = new("Guangzhou", 23.1291, 113.2644, "Asia/Shanghai"),
            ["New York"] = new("New York", 40.7128, -74.0060, "America/New_York"),
        }.ToImmutableDictionary());
}
