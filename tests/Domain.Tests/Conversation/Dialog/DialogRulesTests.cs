using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Conversation.Scripts;
using static Aicc.Domain.Tests.Conversation.Dialog.Caller;

namespace Aicc.Domain.Tests.Conversation.Dialog;

public sealed class DialogRulesTests
{
    private static DialogScript Script(bool askBargeIn, bool sayBargeIn) => new()
    {
        Id = "rules",
        Version = 7,
        Start = "intro",
        Variables = ["name"],
        Intents = [new ScriptIntent { Name = "affirm", Examples = ["yes"] }],
        Nodes =
        [
            new SayNode { Id = "intro", Text = "Hi {{name}}.", BargeIn = sayBargeIn, Next = "q" },
            new AskNode
            {
                Id = "q",
                Prompt = "Ready?",
                BargeIn = askBargeIn,
                TimeoutMs = 3000,
                Expect = [new IntentRoute { Intent = "affirm", Next = "account" }],
                NoInput = new RetryHandling { Retries = 0 },
                NoMatch = new RetryHandling { Retries = 0 },
            },
            new CollectDtmfNode { Id = "account", Prompt = "Key your account number, then hash.", Variable = "account", MaxDigits = 6, Next = "bye" },
            new HangupNode { Id = "bye", Prompt = "Account {{account}} noted.", Disposition = "done" },
        ],
    };

    [Fact]
    public void GivenAskWithoutBargeIn_WhenCallerSpeaksDuringThePrompt_ThenItIsIgnoredAndListeningStartsAfterThePrompt()
    {
        var spec = new DialogSpec(Script(askBargeIn: false, sayBargeIn: false)).Given(Answers(), PromptEnds());
        Assert.Equal((DialogPhase.Asking, false), (spec.State.Phase, spec.State.Listening));

        spec.When(StartsSpeaking()).Then();
        spec.When(Says("yes", "affirm")).Then();
        spec.When(PromptEnds()).Then("played q", "listen q keys= timeout=3000");
        spec.When(Says("yes", "affirm")).ThenIncludes("intent affirm", "enter account");
    }

    [Fact]
    public void GivenSayThatAllowsBargeIn_WhenCallerSpeaks_ThenThePromptStopsAndTheDialogMovesOn()
    {
        new DialogSpec(Script(askBargeIn: true, sayBargeIn: true)).Given(Answers()).When(StartsSpeaking()).Then(
            "stop playback intro", "enter q", "say q (barge-in): Ready?", "listen q keys= timeout=3000");
    }

    [Fact]
    public void GivenNoRetriesAndNoNextNode_WhenSilent_ThenTheCallEndsAsNoInput()
    {
        new DialogSpec(Script(askBargeIn: true, sayBargeIn: false)).Given(Answers(), PromptEnds()).When(StaysSilent())
            .Then("no input 1", "hang up: no_input");
    }

    [Fact]
    public void GivenDigitCollection_WhenDigitsArriveInPiecesAndTheTerminator_ThenTheyAreJoined()
    {
        var spec = new DialogSpec(Script(askBargeIn: true, sayBargeIn: false)).Given(Answers(), PromptEnds(), Says("yes", "affirm"), PromptEnds());

        spec.When(Presses("12")).Then("pressed 1", "pressed 2");
        spec.When(Presses("3#")).Then("pressed 3", "set account=123", "enter bye", "say bye: Account 123 noted.", "hang up: done");
    }

    [Fact]
    public void GivenDigitCollection_WhenTheInterDigitTimerRunsOut_ThenTheDigitsSoFarAreTaken()
    {
        var spec = new DialogSpec(Script(askBargeIn: true, sayBargeIn: false)).Given(Answers(), PromptEnds(), Says("yes", "affirm"), Presses("42"));

        spec.When(StaysSilent()).ThenIncludes("set account=42", "hang up: done");
    }

    [Fact]
    public void EvolvingTheDecidedEventsFromScratchRebuildsTheSameState()
    {
        var script = Script(askBargeIn: true, sayBargeIn: false);
        var inputs = new DialogInput[]
        {
            new DialogInput.CallAnswered(Customer, null, DialogSpec.T0),
            new DialogInput.PromptFinished(DialogSpec.T0),
            new DialogInput.UtteranceRecognised("yes", "affirm", 0.8, DialogSpec.T0),
            new DialogInput.DtmfReceived("9#", DialogSpec.T0),
        };
        var state = DialogState.Initial;
        var history = new List<DialogEvent>();
        foreach (var input in inputs)
        {
            var events = DialogDecider.Decide(script, input, state);
            history.AddRange(events);
            state = events.Aggregate(state, DialogDecider.Evolve);
        }

        var replayed = history.Aggregate(DialogState.Initial, DialogDecider.Evolve);

        Assert.Equal(state.Phase, replayed.Phase);
        Assert.Equal(state.Variables, replayed.Variables);
        Assert.Equal(state.Transcript, replayed.Transcript);
        Assert.Equal((DialogPhase.Ended, "done", "9"), (replayed.Phase, replayed.Disposition, replayed.Variables["account"]));
    }
}
