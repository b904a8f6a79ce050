using System.Collections.Immutable;
using Aicc.Domain.Compliance;
using Aicc.Domain.Tests.Dialing;
using static Aicc.Domain.Compliance.DialCheckEvent;

namespace Aicc.Domain.Tests.Compliance;

public sealed class DialGateTests
{
    private const string Tenant = "tenant-1";
    private const string Task = "task-1";
    private const string Callee = "+8613901012345";
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
    // Monday 10:00 in Shanghai.
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly ContactLimits Limits = new(PerCalleeMax: 1, PerPairMax: 1, PerTaskPerMinute: 2);

    private static DialLists Lists(params (DialListKind List, string Number)[] entries) =>
        entries.Aggregate(DialLists.Empty, (lists, e) => DialListDecider.Evolve(lists, new DialListEvent.NumberListed(Tenant, e.List, e.Number, ListingSource.Agent, "test", Now.AddDays(-1))));

    private static IReadOnlyList<DialCheckEvent> Check(DialGateState state, string callee = Callee, DateTimeOffset? at = null, ContactLimits? limits = null, string caller = "+8610000001") =>
        DialGate.Decide(new CheckDial(Tenant, Task, callee, caller, limits ?? Limits, CallingWindows.OfficeHours, Shanghai, at ?? Now), state);

    private static DialRefused Refused(IReadOnlyList<DialCheckEvent> events) => Assert.IsType<DialRefused>(Assert.Single(events));

    [Fact]
    public void GivenNothingAgainstTheCallee_WhenChecked_ThenTheDialIsCleared() =>
        Assert.Equal([new DialCleared(Tenant, Task, Callee, "+8610000001", false, Now)], Check(new DialGateState(DialLists.Empty, ContactHistory.Empty)));

    [Fact]
    public void GivenBlacklistedCallee_WhenChecked_ThenRefusedWithTheReason()
    {
        var refused = Refused(Check(new DialGateState(Lists((DialListKind.Blacklist, Callee)), ContactHistory.Empty)));

        Assert.Equal(RefusalReason.Blacklisted, refused.Reason);
        Assert.Contains("Agent", refused.Detail);
    }

    [Fact]
    public void GivenDoNotCallCallee_WhenChecked_ThenRefused() =>
        Assert.Equal(RefusalReason.DoNotCall, Refused(Check(new DialGateState(Lists((DialListKind.DoNotCall, Callee)), ContactHistory.Empty))).Reason);

    [Fact]
    public void GivenWhitelistedCallee_WhenChecked_ThenClearedPastListsLimitsAndWindows()
    {
        var history = ContactHistory.Empty.Record(new ContactAttempt(Task, Callee, "+8610000001", Now.AddHours(-1)), TimeSpan.FromDays(3));
        var state = new DialGateState(Lists((DialListKind.Whitelist, Callee), (DialListKind.DoNotCall, Callee)), history);
        var sundayNight = new DateTimeOffset(2026, 3, 8, 15, 0, 0, TimeSpan.Zero);

        var cleared = Assert.IsType<DialCleared>(Assert.Single(Check(state, at: sundayNight)));

        Assert.True(cleared.Whitelisted);
    }

    [Fact]
    public void GivenACallTwoDaysAgo_WhenChecked_ThenTheThreeDayCalleeLimitRefusesUntilItLapses()
    {
        var history = ContactHistory.Empty.Record(new ContactAttempt("task-0", Callee, "+8621000009", Now.AddDays(-2)), TimeSpan.FromDays(3));

        var refused = Refused(Check(new DialGateState(DialLists.Empty, history)));

        Assert.Equal(RefusalReason.CalleeLimit, refused.Reason);
        Assert.Equal(Now.AddDays(1), refused.RetryAfter);
    }

    [Fact]
    public void GivenACallFromTheSameNumberToday_WhenChecked_ThenThePairLimitRefuses()
    {
        var history = ContactHistory.Empty.Record(new ContactAttempt("task-0", Callee, "+8610000001", Now.AddHours(-3)), TimeSpan.FromDays(3));
        var limits = new ContactLimits(PerCalleeMax: null, PerPairMax: 1);

        Assert.Equal(RefusalReason.CallerCalleeLimit, Refused(Check(new DialGateState(DialLists.Empty, history), limits: limits)).Reason);
        Assert.IsType<DialCleared>(Assert.Single(Check(new DialGateState(DialLists.Empty, history), limits: limits, caller: "+8610000002")));
    }

    [Fact]
    public void GivenTheTaskDialedTwiceThisMinute_WhenChecked_ThenTheRateLimitRefuses()
    {
        var history = ContactHistory.Empty
            .Record(new ContactAttempt(Task, "+8613900000001", null, Now.AddSeconds(-30)), TimeSpan.FromDays(3))
            .Record(new ContactAttempt(Task, "+8613900000002", null, Now.AddSeconds(-10)), TimeSpan.FromDays(3));

        Assert.Equal(RefusalReason.TaskRateLimit, Refused(Check(new DialGateState(DialLists.Empty, history))).Reason);
    }

    [Fact]
    public void GivenLunchTimeInTheCalleesZone_WhenChecked_ThenRefusedUntilTheAfternoonWindow()
    {
        var lunch = new DateTimeOffset(2026, 3, 2, 4, 30, 0, TimeSpan.Zero); // 12:30 in Shanghai

        var refused = Refused(Check(new DialGateState(DialLists.Empty, ContactHistory.Empty), at: lunch));

        Assert.Equal(RefusalReason.OutsideCallingWindow, refused.Reason);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 14, 0, 0, TimeSpan.FromHours(8)), refused.RetryAfter);
    }

    [Fact]
    public void Calling_windows_follow_the_callees_zone_and_daylight_saving()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        // 14:30 UTC on Monday 2026-03-09: 10:30 in New York (EDT since 8 March), 22:30 in Shanghai.
        var at = new DateTimeOffset(2026, 3, 9, 14, 30, 0, TimeSpan.Zero);

        Assert.True(CallingWindows.IsOpen(CallingWindows.OfficeHours, newYork, at));
        Assert.False(CallingWindows.IsOpen(CallingWindows.OfficeHours, Shanghai, at));
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)), CallingWindows.NextOpening(CallingWindows.OfficeHours, Shanghai, at));
    }
}
