using Aicc.Domain.Compliance;
using Aicc.Domain.Tests.Specs;
using static Aicc.Domain.Compliance.DialListCommand;
using static Aicc.Domain.Compliance.DialListEvent;

namespace Aicc.Domain.Tests.Compliance;

public sealed class DialListTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    private static Spec<DialLists, DialListEvent, DialListCommand> Spec() =>
        new(DialListDecider.Decide, DialListDecider.Evolve, DialLists.Empty);

    [Fact]
    public void GivenNoListing_WhenTheRobotHearsDoNotCall_ThenTheNumberIsListedWithItsSource() =>
        Spec().When(new ListNumber("t", DialListKind.DoNotCall, "+8613901012345", ListingSource.Robot, "intent do_not_call", Now))
            .Then(new NumberListed("t", DialListKind.DoNotCall, "+8613901012345", ListingSource.Robot, "intent do_not_call", Now));

    [Fact]
    public void GivenListedNumber_WhenListedAgain_ThenNothingHappens() =>
        Spec().Given(new NumberListed("t", DialListKind.Blacklist, "+1", ListingSource.Api, "fraud", Now))
            .When(new ListNumber("t", DialListKind.Blacklist, "+1", ListingSource.Agent, "again", Now.AddHours(1)))
            .Then();

    [Fact]
    public void GivenListedNumber_WhenUnlisted_ThenItLeavesOnlyThatList()
    {
        var spec = Spec().Given(
                new NumberListed("t", DialListKind.Blacklist, "+1", ListingSource.Api, "fraud", Now),
                new NumberListed("t", DialListKind.DoNotCall, "+1", ListingSource.Agent, "asked", Now))
            .When(new UnlistNumber("t", DialListKind.Blacklist, "+1", "cleared", Now.AddDays(1)));

        spec.Then(new NumberUnlisted("t", DialListKind.Blacklist, "+1", "cleared", Now.AddDays(1)))
            .ThenState(lists =>
            {
                Assert.False(lists.Contains(DialListKind.Blacklist, "+1"));
                Assert.True(lists.Contains(DialListKind.DoNotCall, "+1"));
            });
    }

    [Fact]
    public void GivenUnlistedNumber_WhenUnlisted_ThenNothingHappens() =>
        Spec().When(new UnlistNumber("t", DialListKind.Whitelist, "+1", "cleanup", Now)).Then();
}
