using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    [Fact]
    public void GivenAnsweredCall_WhenRecordingStarts_ThenAnActiveRecordingIsListed() =>
        Spec.Given(AnsweredCall)
            .When(new CallCommand.StartRecording(CallId, RecordingId, At(10)))
            .Then(new CallEvent.RecordingStarted(CallId, RecordingId, At(10)))
            .ThenState(state => Assert.True(Assert.Single(InfoOf(state).Recordings).IsActive));

    [Fact]
    public void GivenRecordingCall_WhenTheSameRecordingStartsAgain_ThenNothingHappens() =>
        Spec.Given([.. AnsweredCall, new CallEvent.RecordingStarted(CallId, RecordingId, At(10))])
            .When(new CallCommand.StartRecording(CallId, RecordingId, At(11)))
            .ThenNothing();

    [Fact]
    public void GivenRecordingCall_WhenASecondRecordingStarts_ThenRefused() =>
        Spec.Given([.. AnsweredCall, new CallEvent.RecordingStarted(CallId, RecordingId, At(10))])
            .When(new CallCommand.StartRecording(CallId, OtherAgentId, At(11)))
            .ThenThrows<DomainException>("call.already_recording");

    [Fact]
    public void GivenRingingCall_WhenRecordingStarts_ThenRefusedAsNotAnswered() =>
        Spec.Given(Ringing)
            .When(new CallCommand.StartRecording(CallId, RecordingId, At(4)))
            .ThenThrows<DomainException>("call.not_answered");

    [Fact]
    public void GivenEndedCall_WhenRecordingStarts_ThenRefusedAsEnded() =>
        Spec.Given(EndedWithAgent)
            .When(new CallCommand.StartRecording(CallId, RecordingId, At(80)))
            .ThenThrows<DomainException>("call.ended");
}
