using Aicc.Domain.Calls;
using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static readonly CallEvent Prompt =
        new CallEvent.PromptPlayed(CallId, "confirm", "Am I speaking with Alex?", "kal16", true, At(12));

    private static readonly ValueMap TransferContext = ValueMap.Of(("name", "Alex"), ("last_intent", "transfer_to_human"));

    private static readonly CallEvent[] QueuedByRobot =
    [
        .. WithRobot,
        new CallEvent.TransferRequested(CallId, "sales", "caller wants a human", TransferContext, At(20)),
        new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "caller wants a human", At(20)),
    ];

    [Fact]
    public void GivenCallWithRobot_WhenTheRobotStartsAPrompt_ThenThePromptIsRecordedWithItsVoice() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RecordPrompt(CallId, "confirm", "Am I speaking with Alex?", "kal16", true, At(12)))
            .Then(Prompt)
            .ThenState(state => StateIs<Call.WithRobot>(state));

    [Fact]
    public void GivenARecordedPrompt_WhenTheSameReportArrivesAgain_ThenNothingHappens() =>
        Spec.Given([.. WithRobot, Prompt])
            .When(new CallCommand.RecordPrompt(CallId, "confirm", "Am I speaking with Alex?", "kal16", true, At(12)))
            .ThenNothing();

    [Fact]
    public void GivenAnsweredCallWithoutRobot_WhenAPromptIsRecorded_ThenRefused() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.RecordPrompt(CallId, "confirm", "Hello", "kal16", false, At(12)))
            .ThenThrows<DomainException>("call.no_robot");

    [Fact]
    public void GivenAPlayingPrompt_WhenTheCallerTalksOverIt_ThenTheInterruptionIsRecorded() =>
        Spec.Given([.. WithRobot, Prompt])
            .When(new CallCommand.RecordBargeIn(CallId, "confirm", At(13)))
            .Then(new CallEvent.PromptInterrupted(CallId, "confirm", At(13)));

    [Fact]
    public void GivenCallWithRobot_WhenAnUtteranceIsRecognised_ThenTextConfidenceAndSpeechTimesAreRecorded() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RecordUtterance(CallId, "confirm", "i want to speak to a human agent", 1.4, At(13), At(15), At(16)))
            .Then(new CallEvent.UtteranceRecognised(CallId, "confirm", "i want to speak to a human agent", 1.0, At(13), At(15), At(16)));

    [Fact]
    public void GivenCallWithRobot_WhenAnIntentIsDetected_ThenItIsRecordedTrimmed() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RecordIntent(CallId, "confirm", " transfer_to_human ", 0.93, At(16)))
            .Then(new CallEvent.IntentDetected(CallId, "confirm", "transfer_to_human", 0.93, At(16)));

    [Fact]
    public void GivenCallWithRobot_WhenABlankIntentIsReported_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RecordIntent(CallId, "confirm", " ", 0.9, At(16)))
            .ThenThrows<DomainException>("call.intent_required");

    [Fact]
    public void GivenCallWithRobot_WhenTheScriptSetsAVariable_ThenItIsRecorded() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RecordVariable(CallId, "interest", "yes", At(17)))
            .Then(new CallEvent.VariableSet(CallId, "interest", "yes", At(17)));

    [Fact]
    public void GivenCallWithRobot_WhenTheRobotAsksForAHuman_ThenTheRequestAndTheTransferToTheGroupAreOneDecision() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.RequestTransfer(CallId, " sales ", "caller wants a human", TransferContext, At(20)))
            .Then(
                new CallEvent.TransferRequested(CallId, "sales", "caller wants a human", TransferContext, At(20)),
                new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "caller wants a human", At(20)))
            .ThenState(state =>
            {
                var queued = StateIs<Call.Queued>(state);
                Assert.Equal("sales", queued.SkillGroup);
                Assert.Equal(RobotId, queued.Info.RobotId);
            });

    [Fact]
    public void GivenCallQueuedByTheRobot_WhenTheSameTransferIsAskedAgain_ThenNothingHappens() =>
        Spec.Given(QueuedByRobot)
            .When(new CallCommand.RequestTransfer(CallId, "sales", "caller wants a human", TransferContext, At(21)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithAgent_WhenTheRobotAsksForAHuman_ThenRefused() =>
        Spec.Given([.. WithRobot, new CallEvent.OfferedToAgent(CallId, AgentId, At(20)), new CallEvent.ConnectedToAgent(CallId, AgentId, At(21))])
            .When(new CallCommand.RequestTransfer(CallId, "sales", "x", ValueMap.Empty, At(22)))
            .ThenThrows<DomainException>("call.no_seat");

    [Fact]
    public void GivenCallQueuedByTheRobot_WhenNoAgentTakesIt_ThenTheRobotHasTheCallerAgain() =>
        Spec.Given(QueuedByRobot)
            .When(new CallCommand.FailTransfer(CallId, "no agent within 20 s", At(40)))
            .Then(new CallEvent.TransferFailed(CallId, "sales", "no agent within 20 s", At(40)))
            .ThenState(state => StateIs<Call.WithRobot>(state));

    [Fact]
    public void GivenCallBackWithTheRobot_WhenTheFailureIsReportedAgain_ThenNothingHappens() =>
        Spec.Given([.. QueuedByRobot, new CallEvent.TransferFailed(CallId, "sales", "x", At(40))])
            .When(new CallCommand.FailTransfer(CallId, "x", At(41)))
            .ThenNothing();

    [Fact]
    public void GivenACallAnAgentQueuedWithoutRobot_WhenATransferFailureIsReported_ThenRefused() =>
        Spec.Given(Queued)
            .When(new CallCommand.FailTransfer(CallId, "x", At(41)))
            .ThenThrows<DomainException>("call.not_queued");

    [Fact]
    public void GivenCallWithRobot_WhenACallbackIsScheduled_ThenItsNumberAndTimeAreRecorded() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.ScheduleCallback(CallId, "+8613800138000", At(3600), At(50)))
            .Then(new CallEvent.CallbackScheduled(CallId, "+8613800138000", At(3600), At(50)))
            .ThenState(state => Assert.Equal(At(3600), InfoOf(state).CallbackDueAt));

    [Fact]
    public void GivenAScheduledCallback_WhenTheSameCallbackIsScheduledAgain_ThenNothingHappens() =>
        Spec.Given([.. WithRobot, new CallEvent.CallbackScheduled(CallId, "+8613800138000", At(3600), At(50))])
            .When(new CallCommand.ScheduleCallback(CallId, "+8613800138000", At(3600), At(51)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithRobot_WhenACallbackIsDueInThePast_ThenRefused() =>
        Spec.Given(WithRobot)
            .When(new CallCommand.ScheduleCallback(CallId, "+8613800138000", At(40), At(50)))
            .ThenThrows<DomainException>("call.callback_in_past");

    [Fact]
    public void GivenAnEndedRobotCall_WhenALateTurnArrives_ThenRefusedAsEnded() =>
        Spec.Given([.. WithRobot, new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(60))])
            .When(new CallCommand.RecordIntent(CallId, "confirm", "affirm", 0.9, At(61)))
            .ThenThrows<DomainException>("call.ended");
}
