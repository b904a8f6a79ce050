using Aicc.Domain.Calls;

namespace Aicc.Domain.Tests.Calls;

public partial class CallTests
{
    private static Call Fold(params CallEvent[] events) => CallDecider.Definition.Fold(events);

    [Fact]
    public void GivenOutboundCallThroughQueueToAgent_WhenItEnds_ThenSeed001TimesPutTheSeatOnLegA()
    {
        var ended = Assert.IsType<Call.Ended>(Fold(EndedWithAgent));
        var times = ended.Info.Timeline.ToTwoLegTimes(ended.Info.Direction);

        Assert.Equal(
            new TwoLegTimes(
                ACallTime: At(12),
                BCallTime: At(1),
                AOffhookTime: At(15),
                BOffhookTime: At(10),
                ConnTime: At(15),
                CloseTime: At(75),
                DurationSeconds: 60),
            times);
        Assert.Equal("close", ended.Info.RecordState(ended: true));
    }

    [Fact]
    public void GivenInboundCallTakenByARobotThenAnAgent_WhenItEnds_ThenTheCallerIsLegAAndTimesAreTheFirstOccurrences()
    {
        var ended = Assert.IsType<Call.Ended>(Fold(
            InboundArrived,
            new CallEvent.Answered(CallId, At(2)),
            new CallEvent.ConnectedToRobot(CallId, RobotId, Script, At(2)),
            new CallEvent.Transferred(CallId, new TransferTarget.ToSkillGroup("sales"), "transfer_to_human", At(30)),
            new CallEvent.OfferedToAgent(CallId, AgentId, At(31)),
            new CallEvent.ConnectedToAgent(CallId, AgentId, At(35)),
            new CallEvent.HungUp(CallId, HangUpParty.Seat, CloseReason.Normal, CallOutcome.Answered, At(95))));

        Assert.Equal(
            new TwoLegTimes(T0, At(2), At(2), At(2), At(2), At(95), 93),
            ended.Info.Timeline.ToTwoLegTimes(CallDirection.Inbound));
        Assert.Equal(AgentId, ended.Info.AgentId);
    }

    [Fact]
    public void GivenOutboundCallThatWasBusy_WhenItEnds_ThenOnlyTheCustomerLegWasCalledAndDurationIsZero()
    {
        var ended = Assert.IsType<Call.Ended>(Fold(
            OutboundCreated, DialingStarted, new CallEvent.HungUp(CallId, HangUpParty.Customer, CloseReason.BBusy, CallOutcome.Busy, At(2))));

        Assert.Equal(
            new TwoLegTimes(null, At(1), null, null, null, At(2), 0),
            ended.Info.Timeline.ToTwoLegTimes(CallDirection.Outbound));
        Assert.Equal(CallOutcome.Busy, ended.Outcome);
    }

    [Fact]
    public void GivenLiveCall_WhenBothSidesAreConnected_ThenRecordStateIsConn() =>
        Assert.Equal("conn", InfoOf(Fold(WithAgent)).RecordState(ended: false));

    [Fact]
    public void GivenRingingCall_WhenNothingIsConnectedYet_ThenRecordStateIsInit() =>
        Assert.Equal("init", InfoOf(Fold(Ringing)).RecordState(ended: false));
}
