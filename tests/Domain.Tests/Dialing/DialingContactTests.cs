using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.Tests.Specs;
using static Aicc.Domain.Dialing.Contacts.DialingContactCommand;
using static Aicc.Domain.Dialing.Contacts.DialingContactEvent;

namespace Aicc.Domain.Tests.Dialing;

public sealed class DialingContactTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);
    private static readonly Guid Task = Guid.Parse("0195f0a0-0000-7000-8000-000000000001");
    private static readonly Guid Customer = Guid.Parse("0195f0a0-0000-7000-8000-000000000002");
    private static readonly Guid Previous = Guid.Parse("0195f0a0-0000-7000-8000-000000000003");

    private static Spec<DialingContact, DialingContactEvent, DialingContactCommand> Spec() => new(DialingContactDecider.Definition);

    [Fact]
    public void GivenAFreshCustomer_WhenARedialIsPlanned_ThenItIsScheduledForItsDueTime() =>
        Spec().When(new ScheduleRedial(Task, Customer, 2, Now.AddMinutes(10), DialOutcome.Busy, Previous, Now))
            .Then(new RedialScheduled(Task, Customer, 2, Now.AddMinutes(10), DialOutcome.Busy, Previous, Now))
            .ThenState(s => Assert.Equal((ContactPhase.Waiting, 2), (s.Phase, s.Attempt)));

    [Fact]
    public void GivenAPlannedRedial_WhenTheSameRedialIsPlannedAgain_ThenNothingHappens() =>
        Spec().Given(new RedialScheduled(Task, Customer, 2, Now.AddMinutes(10), DialOutcome.Busy, Previous, Now))
            .When(new ScheduleRedial(Task, Customer, 2, Now.AddMinutes(11), DialOutcome.Busy, Previous, Now.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenAPlannedRedial_WhenTheSchedulerMakesItDue_ThenTheAttemptIsDueUnderItsDerivedCallId() =>
        Spec().Given(new RedialScheduled(Task, Customer, 2, Now.AddMinutes(10), DialOutcome.Busy, Previous, Now))
            .When(new MarkDue(Task, Customer, 2, Now.AddMinutes(10)))
            .Then(new RedialDue(Task, Customer, 2, DialingContactDecider.AttemptCallId(Task, Customer, 2), Now.AddMinutes(10)));

    [Fact]
    public void GivenADueAttempt_WhenTheSchedulerRunsTheMessageTwice_ThenItIsDueOnce() =>
        Spec().Given(
                new RedialScheduled(Task, Customer, 2, Now.AddMinutes(10), DialOutcome.Busy, Previous, Now),
                new RedialDue(Task, Customer, 2, DialingContactDecider.AttemptCallId(Task, Customer, 2), Now.AddMinutes(10)))
            .When(new MarkDue(Task, Customer, 2, Now.AddMinutes(10)))
            .ThenNothing();

    [Fact]
    public void GivenARefusalWithARetryTime_WhenTheRetryComesDue_ThenTheSameAttemptIsDueAgain() =>
        Spec().Given(
                new RedialDue(Task, Customer, 2, DialingContactDecider.AttemptCallId(Task, Customer, 2), Now),
                new DialRefused(Task, Customer, "+8613800000000", 2, RefusalReason.OutsideCallingWindow, "22:00", Now.AddHours(11), Now))
            .When(new MarkDue(Task, Customer, 2, Now.AddHours(11)))
            .Then(new RedialDue(Task, Customer, 2, DialingContactDecider.AttemptCallId(Task, Customer, 2), Now.AddHours(11)));

    [Fact]
    public void GivenADoNotCallRefusal_WhenAnythingTriesToMakeTheCustomerDue_ThenNothingHappens() =>
        Spec().Given(new DialRefused(Task, Customer, "+8613800000000", 1, RefusalReason.DoNotCall, "asked", null, Now))
            .When(new MarkDue(Task, Customer, 1, Now.AddHours(1)))
            .ThenNothing()
            .ThenState(s => Assert.Equal(ContactPhase.Closed, s.Phase));

    [Fact]
    public void ARedialIsAttemptTwoOrLater() =>
        Spec().When(new ScheduleRedial(Task, Customer, 1, Now, DialOutcome.Busy, Previous, Now)).ThenThrows<DomainException>("dialing.invalid_attempt");

    [Fact]
    public void AttemptIdsAreTheSameForTheSameAttemptAndDifferForAnyOther()
    {
        var id = DialingContactDecider.AttemptCallId(Task, Customer, 1);

        Assert.Equal(id, DialingContactDecider.AttemptCallId(Task, Customer, 1));
        Assert.NotEqual(id, DialingContactDecider.AttemptCallId(Task, Customer, 2));
        Assert.NotEqual(id, DialingContactDecider.AttemptCallId(Customer, Task, 1));
        Assert.NotEqual(id, DialingContactDecider.ContactId(Task, Customer));
        Assert.Equal(8, id.Version);
    }
}
