using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Dialog;
using static Aicc.Domain.Tests.Conversation.Dialog.Caller;

namespace Aicc.Domain.Tests.Conversation.Dialog;

public sealed class EnglishDemoDialogTests
{
    private const string Confirm = "say confirm (barge-in): Am I speaking with Ann? Say yes or no, or press 1 for yes and 2 for no.";
    private const string ListenConfirm = "listen confirm keys=1,2 timeout=5000";

    private static DialogSpec Spec() => new(RobotDemo.Script("en"));

    private static DialogSpec AtConfirm() => Spec().Given(Answers(), PromptEnds());

    private static DialogSpec AtPitch() => AtConfirm().Given(Says("yes", "affirm"));

    [Fact]
    public void GivenNewCall_WhenAnswered_ThenRobotGreetsWithCustomerVariables()
    {
        Spec().When(Answers()).Then(
            "started demo-en v1 voice=kal16",
            "enter greet",
            "say greet: Hello Ann, this is Anna, a virtual assistant calling from Acme.");
    }

    [Fact]
    public void GivenGreeting_WhenPromptEnds_ThenRobotAsksAndListensDuringThePrompt()
    {
        var spec = Spec().Given(Answers()).When(PromptEnds()).Then("played greet", "enter confirm", Confirm, ListenConfirm);

        var listen = Assert.IsType<DialogEvent.ListenRequested>(spec.Events[^1]);
        Assert.Contains("transfer_to_human", listen.ExpectedIntents);
        Assert.Contains("do_not_call", listen.ExpectedIntents);
        Assert.Contains("yes", listen.GrammarPhrases);
        Assert.Contains("I want to talk to a real person", listen.GrammarPhrases);
    }

    [Fact]
    public void GivenRobotVoiceSetting_WhenAnswered_ThenItOverridesTheScriptVoice()
    {
        Spec().When(Answers("slt")).Then(
            "started demo-en v1 voice=slt",
            "enter greet",
            "say greet: Hello Ann, this is Anna, a virtual assistant calling from Acme.");
    }

    [Fact]
    public void GivenAsk_WhenCallerStaysSilent_ThenRobotRepromptsUntilRetriesAreUsedThenHangsUp()
    {
        var spec = AtConfirm();
        spec.When(StaysSilent()).Then("no input 1", "say confirm (barge-in): Hello, are you there? Is this Ann?", ListenConfirm);
        spec.When(StaysSilent()).Then("no input 2", "say confirm (barge-in): Hello, are you there? Is this Ann?", ListenConfirm);
        spec.When(StaysSilent()).Then(
            "no input 3",
            "enter noinput_bye",
            "say noinput_bye: I cannot hear you, so I will try another time. Goodbye.",
            "hang up: no_input");
        Assert.Equal((DialogPhase.Ended, "no_input"), (spec.State.Phase, spec.State.Disposition));
    }

    [Fact]
    public void GivenAsk_WhenCallerIsNotUnderstood_ThenRobotRetriesOnceThenHandsOver()
    {
        var spec = AtConfirm();
        spec.When(Says("the weather is nice", "unknown", 0.1)).Then(
            "caller said: the weather is nice",
            "stop playback confirm",
            "no match 1",
            "say confirm (barge-in): Sorry, I did not get that. Is this Ann? Press 1 for yes, 2 for no.",
            ListenConfirm);
        spec.When(Says("ask_price at the wrong step", "ask_price")).Then(
            "caller said: ask_price at the wrong step",
            "stop playback confirm",
            "no match 2",
            "enter handover",
            "say handover: Please hold, I am connecting you with a colleague.",
            "transfer to sales");
    }

    [Fact]
    public void GivenNoMatchCounted_WhenTheCallerThenAnswers_ThenCountersStartAfreshAtTheNextNode()
    {
        var spec = AtConfirm().Given(Says("hmm", "unknown", 0.1), Says("yes", "affirm"));

        Assert.Equal(("pitch", 0, 0), (spec.State.NodeId, spec.State.NoMatchCount, spec.State.NoInputCount));
    }

    [Fact]
    public void GivenPromptThatAllowsBargeIn_WhenCallerStartsSpeaking_ThenPlaybackStopsAndTheSpeechIsTheAnswer()
    {
        var spec = AtPitch();
        Assert.True(spec.State.PromptPlaying);

        spec.When(StartsSpeaking()).Then("stop playback pitch");
        spec.When(Says("how much is it", "ask_price")).Then(
            "caller said: how much is it",
            "intent ask_price",
            "enter price",
            "say price (barge-in): It is 30 a month, and the first month is free. Would you like to sign up? Press 1 for yes, 2 for no.",
            "listen price keys=1,2 timeout=5000");
    }

    [Fact]
    public void GivenPrompt_WhenSpeechStartsAfterItEnded_ThenNothingIsStopped()
    {
        AtPitch().Given(PromptEnds()).When(StartsSpeaking()).Then();
    }

    [Fact]
    public void GivenAsk_WhenCallerPressesAKey_ThenTheMappedIntentIsTaken()
    {
        AtConfirm().When(Presses("2")).Then(
            "pressed 2",
            "stop playback confirm",
            "intent deny",
            "enter wrong_number_bye",
            "say wrong_number_bye: Sorry for the trouble. Goodbye.",
            "hang up: wrong_number");
    }

    [Fact]
    public void GivenAnyAsk_WhenCallerAsksForAHuman_ThenCallIsTransferredWithTranscriptAndVariables()
    {
        var spec = AtPitch().Given(PromptEnds());

        spec.When(Says("I want to speak to a human agent", "transfer_to_human", 0.93)).Then(
            "caller said: I want to speak to a human agent",
            "intent transfer_to_human",
            "enter handover",
            "say handover: Please hold, I am connecting you with a colleague.",
            "transfer to sales");

        var transfer = Assert.IsType<DialogEvent.TransferRequested>(spec.Events[^1]);
        Assert.Equal("caller wants a human", transfer.Reason);
        Assert.Equal("Ann", transfer.Variables["name"]);
        Assert.Equal("transfer_to_human", transfer.Variables["last_intent"]);
        Assert.Equal(
            ["robot", "robot", "caller", "robot", "caller", "robot"],
            transfer.Transcript.Select(l => l.Speaker).ToArray());
        Assert.Equal(("I want to speak to a human agent", "transfer_to_human", 0.93),
            (transfer.Transcript[4].Text, transfer.Transcript[4].Intent, transfer.Transcript[4].Confidence));
        Assert.Equal(DialogPhase.Transferring, spec.State.Phase);
    }

    [Fact]
    public void GivenTransfer_WhenNoAgentBecomesReady_ThenRobotOffersACallback()
    {
        AtPitch().Given(Says("agent please", "transfer_to_human")).When(NoAgentAnswers()).Then(
            "transfer failed: queue timeout",
            "enter no_agent",
            "say no_agent (barge-in): Sorry, all our colleagues are busy right now. Shall we call you back later? Press 1 for yes, 2 for no.",
            "listen no_agent keys=1,2 timeout=5000");
    }

    [Fact]
    public void GivenAnyAsk_WhenCallerSaysDoNotCall_ThenRobotSaysGoodbyeAddsTheNumberAndHangsUp()
    {
        var spec = AtPitch().When(Says("stop calling me", "do_not_call")).Then(
            "caller said: stop calling me",
            "stop playback pitch",
            "intent do_not_call",
            "enter dnc_bye",
            "say dnc_bye: Understood. We will not call this number again. Goodbye.",
            "add to do-not-call",
            "hang up: do_not_call");

        spec.When(PromptEnds()).Then();
        spec.When(Says("hello?", "unknown")).Then();
        Assert.Equal(DialogPhase.Ended, spec.State.Phase);
    }

    [Fact]
    public void GivenInterest_WhenCallerSaysSo_ThenAVariableIsSetOnTheWay()
    {
        AtPitch().When(Presses("1")).ThenIncludes("set interest=yes", "enter details");
    }

    [Fact]
    public void GivenAnsweredCall_WhenAnsweredAgain_ThenNothingHappens()
    {
        AtConfirm().When(Answers()).Then();
    }

    [Fact]
    public void GivenCall_WhenCallerHangsUp_ThenDialogEnds()
    {
        var spec = AtConfirm().When(HangsUp()).Then("caller hung up");

        Assert.Equal((DialogPhase.Ended, "caller_hung_up"), (spec.State.Phase, spec.State.Disposition));
        spec.When(StaysSilent()).Then();
    }

    [Fact]
    public void GivenNoCall_WhenInputsArrive_ThenTheyAreIgnored()
    {
        Spec().When(PromptEnds()).Then();
        Spec().When(Says("yes", "affirm")).Then();
    }
}
