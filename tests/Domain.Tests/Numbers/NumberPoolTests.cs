using Aicc.Domain.Numbers;
using Aicc.Domain.Tests.Specs;
using static Aicc.Domain.Numbers.NumberPoolCommand;
using static Aicc.Domain.Numbers.NumberPoolEvent;

namespace Aicc.Domain.Tests.Numbers;

public sealed class NumberPoolTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid Pool = Guid.Parse("0195f0a0-0000-7000-8000-0000000000aa");
    private static readonly Guid Tenant = Guid.Parse("0195f0a0-0000-7000-8000-0000000000bb");
    private static readonly CallerNumber Beijing = new("+861058000001", NumberKind.FixedLine, "Beijing", 200, 30, 0.05m);

    private static Spec<NumberPoolState, NumberPoolEvent, NumberPoolCommand> Spec() => new(NumberPoolDecider.Definition);

    [Fact]
    public void GivenAPool_WhenANumberIsAdded_ThenThePoolOffersIt() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now))
            .When(new SetNumber(Pool, Beijing, Now))
            .Then(new NumberSet(Pool, Beijing, Now))
            .ThenState(s => Assert.Equal(Beijing, Assert.Single(((NumberPoolState.Active)s).Pool.Numbers)));

    [Fact]
    public void GivenANumber_WhenItsCapsChange_ThenTheEntryIsReplacedNotDuplicated() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now), new NumberSet(Pool, Beijing, Now))
            .When(new SetNumber(Pool, Beijing with { DailyCap = 100 }, Now))
            .Then(new NumberSet(Pool, Beijing with { DailyCap = 100 }, Now))
            .ThenState(s => Assert.Equal(100, Assert.Single(((NumberPoolState.Active)s).Pool.Numbers).DailyCap));

    [Fact]
    public void GivenANumber_WhenSetUnchanged_ThenNothingHappens() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now), new NumberSet(Pool, Beijing, Now))
            .When(new SetNumber(Pool, Beijing, Now.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void AHourlyCapAboveTheDailyCapIsRefused() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now))
            .When(new SetNumber(Pool, Beijing with { HourlyCap = 500 }, Now))
            .ThenThrows<DomainException>("number_pool.invalid_number");

    [Fact]
    public void ANumberThatIsNotE164IsRefused() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now))
            .When(new SetNumber(Pool, Beijing with { Number = "01058000001" }, Now))
            .ThenThrows<DomainException>("number_pool.invalid_number");

    [Fact]
    public void GivenNoPool_WhenANumberIsAdded_ThenThePoolIsNotFound() =>
        Spec().When(new SetNumber(Pool, Beijing, Now)).ThenThrows<DomainException>("number_pool.not_found");

    [Fact]
    public void GivenANumber_WhenRemoved_ThenThePoolNoLongerOffersIt() =>
        Spec().Given(new Created(Pool, Tenant, "north", "Beijing", Now), new NumberSet(Pool, Beijing, Now))
            .When(new RemoveNumber(Pool, Beijing.Number, Now))
            .Then(new NumberRemoved(Pool, Beijing.Number, Now))
            .ThenState(s => Assert.Empty(((NumberPoolState.Active)s).Pool.Numbers));
}
