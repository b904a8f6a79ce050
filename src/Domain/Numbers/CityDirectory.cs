using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>A city with its coordinates and time zone (for distances and calling windows).</summary>
public sealed record City(string Name, double Latitude, double Longitude, string TimeZoneId);

/// <summary>
/// The configurable prefix table (number prefix -> city) and city table (city -> coordinates, time
/// zone), loaded by the caller and passed in so the domain stays pure. Longest prefix wins, so a
/// table can map "+86139010" to Beijing and "+86" to a national default.
/// </summary>
public sealed record CityDirectory(ImmutableDictionary<string, string> PrefixToCity, ImmutableDictionary<string, City> Cities)
{
    /// <summary>The callee's city from the longest matching prefix, or null when no prefix matches.</summary>
    public City? Locate(string number)
    {
        for (var length = number.Length; length > 0; length--)
        {
            if (PrefixToCity.TryGetValue(number[..length], out var name) && Cities.TryGetValue(name, out var city))
            {
                return city;
            }
        }

        return null;
    }

    /// <summary>A city by name, or null.</summary>
    public City? Find(string name) => Cities.GetValueOrDefault(name);
}

/// <summary>Distances on the earth's surface (the seed's Pythagoras on raw degrees is wrong away from the equator).</summary>
public static class GreatCircle
{
    private const double EarthRadiusKm = 6371.0088;

    /// <summary>Haversine distance in kilometres.</summary>
    public static double DistanceKm(City a, City b)
    {
        var lat1 = double.DegreesToRadians(a.Latitude);
        var lat2 = double.DegreesToRadians(b.Latitude);
        var dLat = lat2 - lat1;
        var dLon = double.DegreesToRadians(b.Longitude - a.Longitude);
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(lat1) * Math.Cos(lat2) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}
