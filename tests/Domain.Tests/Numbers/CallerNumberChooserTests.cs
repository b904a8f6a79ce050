using System.Collections.Immutable;
using Aicc.Domain.Numbers;

namespace Aicc.Domain.Tests.Numbers;

public sealed class CallerNumberChooserTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(8));

    private static NumberPool Pool(params CallerNumber[] numbers) => new("pool-1", "tenant-1", "Shanghai", [.. numbers]);

    private static CallerNumber Number(string number, string city, int daily = 100, int hourly = 20, decimal cost = 0.1m, NumberKind kind = NumberKind.Mobile) =>
        new(number, kind, city, daily, hourly, cost);

    private static NumberChoice Choose(NumberPool pool, string callee, NumberUsage? usage = null, ImmutableHashSet<string>? leased = null) =>
        CallerNumberChooser.Choose(pool, callee, TestCities.Directory, usage ?? NumberUsage.Empty, leased ?? [], Now);

    [Fact]
    public void Great_circle_distance_matches_known_city_pairs()
    {
        var cities = TestCities.Directory;

        Assert.InRange(GreatCircle.DistanceKm(cities.Find("Beijing")!, cities.Find("Shanghai")!), 1060, 1075);
        Assert.InRange(GreatCircle.DistanceKm(cities.Find("Beijing")!, cities.Find("Tianjin")!), 95, 115);
    }

    [Fact]
    public void A_Beijing_callee_gets_the_Tianjin_number_rather_than_the_Urumqi_one()
    {
        var pool = Pool(Number("+8699100001", "Urumqi"), Number("+8622000001", "Tianjin"), Number("+8621000001", "Shanghai"));

        var choice = Assert.IsType<NumberChoice.Chosen>(Choose(pool, "+8613901012345"));

        Assert.Equal("+8622000001", choice.Number.Number);
        Assert.Equal("Beijing", choice.CalleeCity);
        Assert.True(choice.CalleeCityKnown);
    }

    [Fact]
    public void Longest_prefix_decides_the_callee_city()
    {
        Assert.Equal("Beijing", TestCities.Directory.Locate("+8613901012345")?.Name);
        Assert.Equal("Shanghai", TestCities.Directory.Locate("+862155501234")?.Name);
        Assert.Null(TestCities.Directory.Locate("+4420123456"));
    }

    [Fact]
    public void An_unknown_callee_city_falls_back_to_the_pool_default()
    {
        var pool = Pool(Number("+8610000001", "Beijing"), Number("+8621000001", "Shanghai"));

        var choice = Assert.IsType<NumberChoice.Chosen>(Choose(pool, "+4420123456"));

        Assert.Equal("+8621000001", choice.Number.Number);
        Assert.False(choice.CalleeCityKnown);
    }

    [Fact]
    public void Numbers_at_their_hourly_or_daily_cap_are_skipped()
    {
        var pool = Pool(Number("+8610000001", "Beijing", hourly: 2), Number("+8610000002", "Beijing", daily: 3), Number("+8621000001", "Shanghai"));
        var usage = NumberUsage.Empty
            .Record("+8610000001", Now.AddMinutes(-10)).Record("+8610000001", Now.AddMinutes(-5))
            .Record("+8610000002", Now.AddHours(-20)).Record("+8610000002", Now.AddHours(-5)).Record("+8610000002", Now.AddHours(-2));

        var choice = Assert.IsType<NumberChoice.Chosen>(Choose(pool, "+8613901012345", usage));

        Assert.Equal("+8621000001", choice.Number.Number);
    }

    [Fact]
    public void Uses_older_than_the_window_do_not_count()
    {
        var pool = Pool(Number("+8610000001", "Beijing", hourly: 1));
        var usage = NumberUsage.Empty.Record("+8610000001", Now.AddMinutes(-61));

        Assert.IsType<NumberChoice.Chosen>(Choose(pool, "+8613901012345", usage));
    }

    [Fact]
    public void Equally_near_numbers_share_the_load_evenly()
    {
        var pool = Pool(Number("+8610000001", "Beijing"), Number("+8610000002", "Beijing"), Number("+8610000003", "Beijing"));
        var usage = NumberUsage.Empty;
        var chosen = new List<string>();
        for (var i = 0; i < 9; i++)
        {
            var choice = Assert.IsType<NumberChoice.Chosen>(CallerNumberChooser.Choose(pool, "+8613901012345", TestCities.Directory, usage, [], Now.AddSeconds(i)));
            chosen.Add(choice.Number.Number);
            usage = usage.Record(choice.Number.Number, Now.AddSeconds(i));
        }

        Assert.All(chosen.GroupBy(n => n), g => Assert.Equal(3, g.Count()));
    }

    [Fact]
    public void Leased_and_offline_numbers_are_not_offered()
    {
        var pool = Pool(Number("+8610000001", "Beijing"), Number("+8610000002", "Beijing") with { Enabled = false }, Number("+8621000001", "Shanghai"));

        var choice = Assert.IsType<NumberChoice.Chosen>(Choose(pool, "+8613901012345", leased: ["+8610000001"]));

        Assert.Equal("+8621000001", choice.Number.Number);
    }

    [Fact]
    public void When_every_number_is_capped_the_reason_says_so()
    {
        var pool = Pool(Number("+8610000001", "Beijing", hourly: 1));
        var usage = NumberUsage.Empty.Record("+8610000001", Now.AddMinutes(-1));

        var none = Assert.IsType<NumberChoice.NoneAvailable>(Choose(pool, "+8613901012345", usage));

        Assert.Contains("cap", none.Reason);
    }
}
