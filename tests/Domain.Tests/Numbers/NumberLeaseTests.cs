using Aicc.Domain.Numbers;
using Aicc.Domain.Tests.Specs;
using static Aicc.Domain.Numbers.NumberLeaseCommand;
using static Aicc.Domain.Numbers.NumberLeaseEvent;

namespace Aicc.Domain.Tests.Numbers;

public sealed class NumberLeaseTests
{
    private const string Pool = "pool-1";
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid LeaseA = Guid.Parse("0197a000-0000-7000-8000-00000000000a");
    private static readonly Guid LeaseB = Guid.Parse("0197a000-0000-7000-8000-00000000000b");
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    private static Spec<NumberLeaseBook, NumberLeaseEvent, NumberLeaseCommand> Spec() =>
        new(NumberLeaseDecider.Decide, NumberLeaseDecider.Evolve, NumberLeaseBook.Empty);

    private static LeaseGranted GrantedA => new(Pool, LeaseA, "+8610000001", "agent-1", T0, T0 + FiveMinutes);

    [Fact]
    public void GivenFreeNumber_WhenAgentAcquires_ThenLeaseIsGrantedUntilExpiry() =>
        Spec().When(new AcquireLease(Pool, LeaseA, "+8610000001", "agent-1", FiveMinutes, T0))
            .Then(GrantedA);

    [Fact]
    public void GivenLeasedNumber_WhenAnotherAgentAcquires_ThenItIsRefused()
    {
        var error = Spec().Given(GrantedA)
            .When(new AcquireLease(Pool, LeaseB, "+8610000001", "agent-2", FiveMinutes, T0.AddMinutes(1)))
            .ThenThrows<NumberLeaseException>("number.leased");

        Assert.Contains("+8610000001", error.Message);
    }

    [Fact]
    public void GivenLease_WhenTheSameAcquireIsRepeated_ThenNothingHappens() =>
        Spec().Given(GrantedA)
            .When(new AcquireLease(Pool, LeaseA, "+8610000001", "agent-1", FiveMinutes, T0.AddSeconds(2)))
            .Then();

    [Fact]
    public void GivenLeaseLeftByAClosedWindow_WhenItsExpiryPasses_ThenAnotherAgentGetsTheNumber() =>
        Spec().Given(GrantedA)
            .When(new AcquireLease(Pool, LeaseB, "+8610000001", "agent-2", FiveMinutes, T0.AddMinutes(6)))
            .Then(
                new LeaseExpired(Pool, LeaseA, "+8610000001", T0 + FiveMinutes),
                new LeaseGranted(Pool, LeaseB, "+8610000001", "agent-2", T0.AddMinutes(6), T0.AddMinutes(11)));

    [Fact]
    public void GivenLease_WhenTheCallHangsUp_ThenTheNumberIsReleased()
    {
        var spec = Spec().Given(GrantedA).When(new ReleaseLease(Pool, LeaseA, LeaseEndReason.HungUp, T0.AddMinutes(2)));

        spec.Then(new LeaseReleased(Pool, LeaseA, "+8610000001", LeaseEndReason.HungUp, T0.AddMinutes(2)))
            .ThenState(book => Assert.Empty(book.ByNumber));
    }

    [Fact]
    public void GivenReleasedLease_WhenReleasedAgain_ThenNothingHappens() =>
        Spec().Given(GrantedA, new LeaseReleased(Pool, LeaseA, "+8610000001", LeaseEndReason.HungUp, T0.AddMinutes(2)))
            .When(new ReleaseLease(Pool, LeaseA, LeaseEndReason.HungUp, T0.AddMinutes(3)))
            .Then();

    [Fact]
    public void GivenLease_WhenRenewedInTime_ThenItLivesLonger() =>
        Spec().Given(GrantedA)
            .When(new RenewLease(Pool, LeaseA, FiveMinutes, T0.AddMinutes(4)))
            .Then(new LeaseRenewed(Pool, LeaseA, "+8610000001", T0.AddMinutes(4), T0.AddMinutes(9)));

    [Fact]
    public void GivenExpiredLease_WhenRenewed_ThenItIsRefused()
    {
        var error = Spec().Given(GrantedA)
            .When(new RenewLease(Pool, LeaseA, FiveMinutes, T0.AddMinutes(7)))
            .ThenThrows<NumberLeaseException>("lease.expired");

        Assert.NotEmpty(error.Message);
    }

    [Fact]
    public void GivenLeases_WhenTheSchedulerExpires_ThenOnlyOverdueOnesEnd() =>
        Spec().Given(GrantedA, new LeaseGranted(Pool, LeaseB, "+8610000002", "agent-2", T0.AddMinutes(3), T0.AddMinutes(8)))
            .When(new ExpireLeases(Pool, T0.AddMinutes(6)))
            .Then(new LeaseExpired(Pool, LeaseA, "+8610000001", T0 + FiveMinutes));

    [Fact]
    public void GivenAgentHoldingANumber_WhenTheAgentTakesAnother_ThenTheFirstIsReleased() =>
        Spec().Given(GrantedA)
            .When(new AcquireLease(Pool, LeaseB, "+8610000002", "agent-1", FiveMinutes, T0.AddMinutes(1)))
            .Then(
                new LeaseReleased(Pool, LeaseA, "+8610000001", LeaseEndReason.Replaced, T0.AddMinutes(1)),
                new LeaseGranted(Pool, LeaseB, "+8610000002", "agent-1", T0.AddMinutes(1), T0.AddMinutes(6)));

    [Fact]
    public void Expired_leases_no_longer_block_the_chooser_even_before_the_expiry_event()
    {
        var book = NumberLeaseDecider.Evolve(NumberLeaseBook.Empty, GrantedA);

        Assert.Contains("+8610000001", book.HeldAt(T0.AddMinutes(1)));
        Assert.Empty(book.HeldAt(T0.AddMinutes(5)));
    }
}
