using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static CallEvent RecordingStarted => new CallEvent.RecordingStarted(CallId, RecordingId, At(10));

    [Fact]
    public void GivenRecordingCall_WhenRecordingStops_ThenItsLocationIsKept() =>
        Spec.Given([.. WithAgent, RecordingStarted])
            .When(new CallCommand.StopRecording(CallId, RecordingId, "s3://rec/c1.wav", At(60)))
            .Then(new CallEvent.RecordingStopped(CallId, RecordingId, "s3://rec/c1.wav", At(60)))
            .ThenState(state => Assert.Equal(
                new CallRecording(RecordingId, At(10), At(60), "s3://rec/c1.wav"), Assert.Single(InfoOf(state).Recordings)));

    [Fact]
    public void GivenCallThatEndedWhileRecording_WhenTheFileIsStored_ThenRecordingStopsAfterHangUp() =>
        Spec.Given([.. WithAgent, RecordingStarted, new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.Normal, CallOutcome.Answered, At(75))])
            .When(new CallCommand.StopRecording(CallId, RecordingId, "s3://rec/c1.wav", At(77)))
            .Then(new CallEvent.RecordingStopped(CallId, RecordingId, "s3://rec/c1.wav", At(77)));

    [Fact]
    public void GivenStoppedRecording_WhenStoppedAgain_ThenNothingHappens() =>
        Spec.Given([.. WithAgent, RecordingStarted, new CallEvent.RecordingStopped(CallId, RecordingId, null, At(60))])
            .When(new CallCommand.StopRecording(CallId, RecordingId, null, At(61)))
            .ThenNothing();

    [Fact]
    public void GivenCallWithoutRecording_WhenARecordingStops_ThenRefusedAsUnknown() =>
        Spec.Given(WithAgent)
            .When(new CallCommand.StopRecording(CallId, RecordingId, null, At(60)))
            .ThenThrows<DomainException>("call.unknown_recording");
}
