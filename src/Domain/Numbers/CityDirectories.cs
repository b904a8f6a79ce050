using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>
/// Built-in city tables. China's fixed-line area codes (after +86) place landline callees; mobile
/// numbers carry no city in their prefix (their segment database is a carrier product), so they
/// fall to the pool's default city, as seed 002 says, and to China's single time zone.
/// </summary>
public static class CityDirectories
{
    public static CityDirectory China { get; } = new(
        new Dictionary<string, string>
        {
            ["+8610"] = "Beijing",
            ["+8621"] = "Shanghai",
            ["+8620"] = "Guangzhou",
            ["+86755"] = "Shenzhen",
            ["+8622"] = "Tianjin",
            ["+8623"] = "Chongqing",
            ["+8628"] = "Chengdu",
            ["+8627"] = "Wuhan",
            ["+86571"] = "Hangzhou",
            ["+8625"] = "Nanjing",
            ["+8629"] = "Xi'an",
            ["+86991"] = "Urumqi",
        }.ToImmutableDictionary(),
        new Dictionary<string, City>
        {
            ["Beijing"] = new("Beijing", 39.9042, 116.4074, "Asia/Shanghai"),
            ["Shanghai"] = new("Shanghai", 31.2304, 121.4737, "Asia/Shanghai"),
            ["Guangzhou"] = new("Guangzhou", 23.1291, 113.2644, "Asia/Shanghai"),
            ["Shenzhen"] = new("Shenzhen", 22.5431, 114.0579, "Asia/Shanghai"),
            ["Tianjin"] = new("Tianjin", 39.3434, 117.3616, "Asia/Shanghai"),
            ["Chongqing"] = new("Chongqing", 29.4316, 106.9123, "Asia/Shanghai"),
            ["Chengdu"] = new("Chengdu", 30.5728, 104.0668, "Asia/Shanghai"),
            ["Wuhan"] = new("Wuhan", 30.5928, 114.3055, "Asia/Shanghai"),
            ["Hangzhou"] = new("Hangzhou", 30.2741, 120.1551, "Asia/Shanghai"),
            ["Nanjing"] = new("Nanjing", 32.0603, 118.7969, "Asia/Shanghai"),
            ["Xi'an"] = new("Xi'an", 34.3416, 108.9398, "Asia/Shanghai"),
            // Xinjiang keeps Urumqi time in daily life; calling windows follow the callee's day.
            ["Urumqi"] = new("Urumqi", 43.8256, 87.6168, "Asia/Urumqi"),
        }.ToImmutableDictionary());
}
