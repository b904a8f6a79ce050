using System.Collections.Immutable;

namespace Aicc.Domain.Numbers;

/// <summary>
/// The kinds of caller numbers a tenant buys (seed 003): they differ in how callees and carriers
/// treat them (fixed lines get marked as nuisance, certified numbers are blocked in some regions,
/// mobile numbers look like a person calling) and in what they cost.
/// </summary>
public enum NumberKind
{
    FixedLine,
    Certified,
    Mobile,
}

/// <summary>
/// One caller number of a pool: where it is based (for the nearest-city choice), how often the
/// carrier lets it call (daily and hourly caps), and what a call on it costs.
/// </summary>
/// <param name="Number">The number in E.164 form, as presented to the callee.</param>
/// <param name="Kind">Fixed line, certified or mobile.</param>
/// <param name="City">The city the number belongs to (a key of the <see cref="CityDirectory"/>).</param>
/// <param name="DailyCap">Most calls per rolling 24 hours.</param>
/// <param name="HourlyCap">Most calls per rolling hour.</param>
/// <param name="CostPerMinute">Price per started minute, for reports and tie-breaking.</param>
/// <param name="Enabled">Operators take numbers offline without deleting them.</param>
public sealed record CallerNumber(
    string Number,
    NumberKind Kind,
    string City,
    int DailyCap,
    int HourlyCap,
    decimal CostPerMinute,
    bool Enabled = true);

/// <summary>
/// A tenant's group of caller numbers that tasks dial from (seed 002's 号码组). The default city
/// stands in for callees whose city the prefix table does not know.
/// </summary>
public sealed record NumberPool(string PoolId, string TenantId, string DefaultCity, ImmutableArray<CallerNumber> Numbers);
