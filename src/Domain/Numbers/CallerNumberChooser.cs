using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>The chooser's answer: a number, or why none could be given.</summary>
public abstract record NumberChoice
{
    private NumberChoice()
    {
    }

    /// <summary>A number to call from, the callee's city the choice was made for, and the distance.</summary>
    public sealed record Chosen(CallerNumber Number, string CalleeCity, bool CalleeCityKnown, double DistanceKm) : NumberChoice;

    /// <summary>No number may call now; the reason says which limit stopped every one.</summary>
    public sealed record NoneAvailable(string Reason) : NumberChoice;
}

/// <summary>
/// Picks the caller number for one call (seed 002's SIP scheduling service): people answer calls
/// from nearby rather than from across the country, so the number whose city is nearest the
/// callee's city wins; numbers offline, leased to an agent or at their daily or hourly cap are
/// skipped; among equally near numbers the one used least today wins, so load spreads evenly, then
/// the cheaper, then the one idle longest.
/// </summary>
public static class CallerNumberChooser
{
    /// <summary>Numbers within this many km count as equally near (same metro area).</summary>
    public const double SameDistanceKm = 1.0;

    public static NumberChoice Choose(
        NumberPool pool,
        string calleeNumber,
        CityDirectory directory,
        NumberUsage usage,
        ImmutableHashSet<string> leasedNumbers,
        DateTimeOffset now)
    {
        var located = directory.Locate(calleeNumber);
        var calleeCity = located ?? directory.Find(pool.DefaultCity);
        if (calleeCity is null)
        {
            return new NumberChoice.NoneAvailable($"the pool's default city '{pool.DefaultCity}' is not in the city table");
        }

        var enabled = pool.Numbers.Where(n => n.Enabled && !leasedNumbers.Contains(n.Number)).ToList();
        if (enabled.Count == 0)
        {
            return new NumberChoice.NoneAvailable(pool.Numbers.IsEmpty ? "the pool has no numbers" : "every number is offline or leased");
        }

        var underCaps = enabled
            .Select(n => (Number: n, Today: usage.CallsWithin(n.Number, now, TimeSpan.FromHours(24)), Hour: usage.CallsWithin(n.Number, now, TimeSpan.FromHours(1))))
            .Where(u => u.Today < u.Number.DailyCap && u.Hour < u.Number.HourlyCap)
            .ToList();
        if (underCaps.Count == 0)
        {
            return new NumberChoice.NoneAvailable("every number is at its daily or hourly cap");
        }

        var ranked = underCaps
            .Select(u => (u.Number, u.Today, Distance: directory.Find(u.Number.City) is { } city ? GreatCircle.DistanceKm(calleeCity, city) : double.PositiveInfinity))
            .ToList();
        var nearest = ranked.Min(r => r.Distance);
        var best = ranked
            .Where(r => r.Distance <= nearest + SameDistanceKm)
            .OrderBy(r => r.Today)
            .ThenBy(r => r.Number.CostPerMinute)
            .ThenBy(r => usage.LastUse(r.Number.Number) ?? DateTimeOffset.MinValue)
            .ThenBy(r => r.Number.Number, StringComparer.Ordinal)
            .First();
        return new NumberChoice.Chosen(best.Number, calleeCity.Name, located is not null, best.Distance);
    }
}
