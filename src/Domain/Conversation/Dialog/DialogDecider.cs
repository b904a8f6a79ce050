using Aicc.Domain.Common;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Conversation.Dialog;

/// <summary>
/// The robot's conversation logic as a pure decider: given the pinned script, the call's
/// dialog state and one input from the media pipeline, it decides the events (prompts to
/// play, recognition to start, transfer, hang-up, do-not-call); <see cref="Evolve"/> folds
/// them into the state. No clock, no I/O: the pipeline executes the instructions and feeds
/// back what happened, so every conversation can be replayed and tested without audio.
/// </summary>
public static class DialogDecider
{
    // A validated script cannot loop without an ask, but an unvalidated one must not hang a call thread.
    private const int MaxAutomaticSteps = 256;

    public static IReadOnlyList<DialogEvent> Decide(DialogScript script, DialogInput input, DialogState state)
    {
        var run = new Run(script, state, input.At);
        switch (input, state.Phase)
        {
            case (DialogInput.CallAnswered answered, DialogPhase.NotStarted):
                run.Start(answered);
                break;
            case (DialogInput.CallAnswered, _):
            case (_, DialogPhase.NotStarted or DialogPhase.Ended):
                // Duplicates and late stragglers (a timer firing after hang-up) change nothing.
                break;
            case (DialogInput.CallerHungUp, _):
                run.Emit(new DialogEvent.CallerHungUp(input.At));
                break;
            case (DialogInput.PromptFinished, _):
                run.PromptFinished();
                break;
            case (DialogInput.SpeechStarted, _):
                run.SpeechStarted();
                break;
            case (DialogInput.UtteranceRecognised utterance, DialogPhase.Asking):
                run.Utterance(utterance);
                break;
            case (DialogInput.DtmfReceived { Digits.Length: 0 }, _):
                break;
            case (DialogInput.DtmfReceived dtmf, DialogPhase.Asking):
                run.AskDtmf(dtmf.Digits);
                break;
            case (DialogInput.DtmfReceived dtmf, DialogPhase.CollectingDigits):
                run.CollectDtmf(dtmf.Digits);
                break;
            case (DialogInput.NoInputTimeout, DialogPhase.Asking or DialogPhase.CollectingDigits):
                run.NoInput();
                break;
            case (DialogInput.TransferFailed failed, DialogPhase.Transferring):
                run.TransferFailed(failed.Reason);
                break;
        }

        return run.Events;
    }

    public static DialogState Evolve(DialogState state, DialogEvent @event) => @event switch
    {
        DialogEvent.DialogStarted started => state with
        {
            ScriptId = started.ScriptId,
            ScriptVersion = started.ScriptVersion,
            Voice = started.Voice,
            Variables = state.Variables.SetItems(started.Variables),
        },
        DialogEvent.NodeEntered entered => state with
        {
            NodeId = entered.NodeId,
            Phase = entered.Kind switch
            {
                "say" => DialogPhase.Saying,
                "ask" => DialogPhase.Asking,
                "collectDtmf" => DialogPhase.CollectingDigits,
                _ => state.Phase,
            },
            NoInputCount = 0,
            NoMatchCount = 0,
            Listening = false,
            PromptPlaying = false,
            Digits = string.Empty,
        },
        DialogEvent.PromptRequested prompt => state with
        {
            PromptPlaying = true,
            Listening = prompt.BargeIn && state.Listening,
            Transcript = state.Transcript.Add(new TranscriptLine(TranscriptLine.Robot, prompt.Text, null, null, prompt.At)),
        },
        DialogEvent.PromptPlayed or DialogEvent.PlaybackStopped => state with { PromptPlaying = false },
        DialogEvent.ListenRequested => state with { Phase = DialogPhase.Asking, Listening = true },
        DialogEvent.DtmfCollectionRequested => state with { Phase = DialogPhase.CollectingDigits, Listening = true },
        DialogEvent.CallerSpoke spoke => state with
        {
            Variables = state.Variables.SetItem("last_utterance", spoke.Text),
            Transcript = state.Transcript.Add(new TranscriptLine(TranscriptLine.Caller, spoke.Text, null, spoke.Confidence, spoke.At)),
        },
        DialogEvent.IntentDetected detected => state with
        {
            Variables = state.Variables.SetItem("last_intent", detected.Intent),
            Transcript = state.Transcript.Count > 0 && state.Transcript[^1].Speaker == TranscriptLine.Caller && state.Transcript[^1].Intent is null
                ? state.Transcript.SetItem(state.Transcript.Count - 1, state.Transcript[^1] with { Intent = detected.Intent, Confidence = detected.Confidence })
                : state.Transcript,
        },
        DialogEvent.DtmfPressed pressed => state with
        {
            Digits = state.Phase == DialogPhase.CollectingDigits ? state.Digits + pressed.Digits : state.Digits,
            Transcript = state.Transcript.Add(new TranscriptLine(TranscriptLine.Caller, "[DTMF " + pressed.Digits + "]", null, null, pressed.At)),
        },
        DialogEvent.NoInputCounted counted => state with { NoInputCount = counted.Count },
        DialogEvent.NoMatchCounted counted => state with { NoMatchCount = counted.Count },
        DialogEvent.VariableSet set => state with { Variables = state.Variables.SetItem(set.Name, set.Value) },
        DialogEvent.TransferRequested => state with { Phase = DialogPhase.Transferring, Listening = false, Disposition = "transferred" },
        DialogEvent.HangupRequested hangup => state with { Phase = DialogPhase.Ended, Listening = false, Disposition = hangup.Disposition },
        DialogEvent.CallerHungUp => state with
        {
            Phase = DialogPhase.Ended,
            Listening = false,
            PromptPlaying = false,
            Disposition = state.Phase == DialogPhase.Transferring ? state.Disposition : "caller_hung_up",
        },
        _ => state,
    };

    /// <summary>The decider for calls running one pinned script version, as the generic runner takes it.</summary>
    public static Decider<DialogInput, DialogEvent, DialogState> For(DialogScript script) =>
        new((input, state) => Decide(script, input, state), Evolve, DialogState.Initial);

    /// <summary>Decides and folds in one go: the pipeline's usual call.</summary>
    public static (DialogState State, IReadOnlyList<DialogEvent> Events) Handle(DialogScript script, DialogState state, DialogInput input)
    {
        var events = Decide(script, input, state);
        return (events.Aggregate(state, Evolve), events);
    }

    /// <summary>
    /// One decision in progress: emitted events are folded into a working state at once, so
    /// later steps of the same decision (a branch after a set) see their effect.
    /// </summary>
    private sealed class Run(DialogScript script, DialogState state, DateTimeOffset at)
    {
        private readonly Dictionary<string, ScriptNode> _nodes = script.Nodes.GroupBy(n => n.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        private readonly List<DialogEvent> _events = [];
        private DialogState _state = state;

        public IReadOnlyList<DialogEvent> Events => _events;

        private ScriptNode Current => _nodes[_state.NodeId!];

        public void Emit(DialogEvent @event)
        {
            _events.Add(@event);
            _state = Evolve(_state, @event);
        }

        public void Start(DialogInput.CallAnswered answered)
        {
            var voice = answered.Voice ?? script.Voice ?? (script.Language == "zh" ? "cmn-latn-pinyin" : "kal16");
            var variables = answered.Variables.ToDictionary(StringComparer.Ordinal);
            Emit(new DialogEvent.DialogStarted(script.Id, script.Version, voice, variables, at));
            Enter(script.Start ?? throw new DialogException($"script {script.Id} has no start node"));
        }

        public void PromptFinished()
        {
            if (!_state.PromptPlaying)
            {
                return;
            }

            Emit(new DialogEvent.PromptPlayed(_state.NodeId!, at));
            switch (Current, _state.Phase)
            {
                case (SayNode say, DialogPhase.Saying):
                    Enter(say.Next!);
                    break;
                case (AskNode ask, DialogPhase.Asking) when !_state.Listening:
                    Listen(ask);
                    break;
            }
        }

        public void SpeechStarted()
        {
            if (!_state.PromptPlaying)
            {
                return;
            }

            switch (Current, _state.Phase)
            {
                case (AskNode { BargeIn: true }, DialogPhase.Asking):
                    Emit(new DialogEvent.PlaybackStopped(_state.NodeId!, at));
                    break;
                case (SayNode { BargeIn: true } say, DialogPhase.Saying):
                    Emit(new DialogEvent.PlaybackStopped(_state.NodeId!, at));
                    Enter(say.Next!);
                    break;
            }
        }

        public void Utterance(DialogInput.UtteranceRecognised utterance)
        {
            if (!_state.Listening || Current is not AskNode ask)
            {
                return;
            }

            Emit(new DialogEvent.CallerSpoke(ask.Id, utterance.Text, utterance.Confidence, at, utterance.SpeechStartedAt, utterance.SpeechEndedAt));
            StopPlaybackIfPlaying();
            var route = ask.Expect.FirstOrDefault(e => e.Intent == utterance.Intent)
                ?? script.GlobalIntents.FirstOrDefault(e => e.Intent == utterance.Intent);
            if (route is null)
            {
                NoMatch(ask);
                return;
            }

            Emit(new DialogEvent.IntentDetected(ask.Id, utterance.Intent, utterance.Confidence, at));
            Enter(route.Next);
        }

        public void AskDtmf(string digits)
        {
            if (Current is not AskNode ask)
            {
                return;
            }

            Emit(new DialogEvent.DtmfPressed(ask.Id, digits, at));
            StopPlaybackIfPlaying();
            var key = digits[..1];
            var route = ask.Expect.FirstOrDefault(e => e.Dtmf == key) ?? script.GlobalIntents.FirstOrDefault(e => e.Dtmf == key);
            if (route is null)
            {
                NoMatch(ask);
                return;
            }

            Emit(new DialogEvent.IntentDetected(ask.Id, route.Intent, 1.0, at));
            Enter(route.Next);
        }

        public void CollectDtmf(string digits)
        {
            var collect = (CollectDtmfNode)Current;
            StopPlaybackIfPlaying();
            foreach (var key in digits)
            {
                if (collect.Terminator is { Length: 1 } terminator && key == terminator[0])
                {
                    FinishDigits(collect);
                    return;
                }

                Emit(new DialogEvent.DtmfPressed(collect.Id, key.ToString(), at));
                if (_state.Digits.Length >= collect.MaxDigits)
                {
                    FinishDigits(collect);
                    return;
                }
            }
        }

        public void NoInput()
        {
            switch (Current)
            {
                case CollectDtmfNode collect when _state.Digits.Length > 0:
                    // Inter-digit timeout: take what was typed.
                    FinishDigits(collect);
                    break;
                case CollectDtmfNode collect:
                    Retry(collect, collect.NoInput, _state.NoInputCount + 1, isNoMatch: false, "no_input");
                    break;
                case AskNode ask:
                    Retry(ask, ask.NoInput, _state.NoInputCount + 1, isNoMatch: false, "no_input");
                    break;
            }
        }

        public void TransferFailed(string reason)
        {
            var transfer = (TransferNode)Current;
            Emit(new DialogEvent.TransferFailed(transfer.Id, reason, at));
            if (transfer.NoAgent is { } next)
            {
                Enter(next);
            }
            else
            {
                Emit(new DialogEvent.HangupRequested(transfer.Id, "no_agent", at));
            }
        }

        private void NoMatch(AskNode ask) => Retry(ask, ask.NoMatch, _state.NoMatchCount + 1, isNoMatch: true, "no_match");

        private void Retry(ScriptNode node, RetryHandling handling, int count, bool isNoMatch, string disposition)
        {
            Emit(isNoMatch ? new DialogEvent.NoMatchCounted(node.Id, count, at) : new DialogEvent.NoInputCounted(node.Id, count, at));
            if (count > handling.Retries)
            {
                if (handling.Next is { } next)
                {
                    Enter(next);
                }
                else
                {
                    Emit(new DialogEvent.HangupRequested(node.Id, disposition, at));
                }

                return;
            }

            switch (node)
            {
                case AskNode ask:
                    Prompt(ask.Id, handling.Prompt ?? ask.Prompt, ask.Audio, ask.BargeIn, handling.Prompt is null);
                    if (ask.BargeIn)
                    {
                        Listen(ask);
                    }

                    break;
                case CollectDtmfNode collect:
                    Prompt(collect.Id, handling.Prompt ?? collect.Prompt, null, bargeIn: true, useAudio: false);
                    Emit(new DialogEvent.DtmfCollectionRequested(collect.Id, collect.MaxDigits, collect.Terminator, collect.TimeoutMs, at));
                    break;
            }
        }

        private void FinishDigits(CollectDtmfNode collect)
        {
            Emit(new DialogEvent.VariableSet(collect.Variable, _state.Digits, at));
            Enter(collect.Next!);
        }

        private void StopPlaybackIfPlaying()
        {
            if (_state.PromptPlaying)
            {
                Emit(new DialogEvent.PlaybackStopped(_state.NodeId!, at));
            }
        }

        private void Enter(string nodeId)
        {
            for (var step = 0; step < MaxAutomaticSteps; step++)
            {
                if (!_nodes.TryGetValue(nodeId, out var node))
                {
                    throw new DialogException($"script {script.Id} v{script.Version} has no node '{nodeId}'");
                }

                Emit(new DialogEvent.NodeEntered(node.Id, KindOf(node), at));
                switch (node)
                {
                    case SayNode say:
                        Prompt(say.Id, say.Text, say.Audio, say.BargeIn, useAudio: true);
                        return;
                    case AskNode ask:
                        Prompt(ask.Id, ask.Prompt, ask.Audio, ask.BargeIn, useAudio: true);
                        if (ask.BargeIn)
                        {
                            // Recognition runs during the prompt so the caller can interrupt it;
                            // otherwise it starts when the prompt ends (PromptFinished).
                            Listen(ask);
                        }

                        return;
                    case CollectDtmfNode collect:
                        Prompt(collect.Id, collect.Prompt, null, bargeIn: true, useAudio: false);
                        Emit(new DialogEvent.DtmfCollectionRequested(collect.Id, collect.MaxDigits, collect.Terminator, collect.TimeoutMs, at));
                        return;
                    case BranchNode branch:
                        var value = branch.Variable is null
                            ? _state.Variables.GetValueOrDefault("last_intent")
                            : _state.Variables.GetValueOrDefault(branch.Variable);
                        nodeId = branch.Cases.FirstOrDefault(c => c.EqualTo == value)?.Next
                            ?? branch.Default
                            ?? throw new DialogException($"branch '{branch.Id}' has no case for '{value}' and no default");
                        continue;
                    case SetVariableNode set:
                        Emit(new DialogEvent.VariableSet(set.Variable, Templates.Render(set.Value, _state.Variables), at));
                        nodeId = set.Next!;
                        continue;
                    case TransferNode transfer:
                        Prompt(transfer.Id, transfer.Prompt, null, bargeIn: false, useAudio: false);
                        Emit(new DialogEvent.TransferRequested(
                            transfer.Id, transfer.SkillGroup, transfer.Reason, _state.Transcript, _state.Variables, at));
                        return;
                    case HangupNode hangup:
                        Prompt(hangup.Id, hangup.Prompt, null, bargeIn: false, useAudio: false);
                        if (hangup.DoNotCall)
                        {
                            Emit(new DialogEvent.DoNotCallRequested(hangup.Id, at));
                        }

                        Emit(new DialogEvent.HangupRequested(hangup.Id, hangup.Disposition, at));
                        return;
                }
            }

            throw new DialogException($"script {script.Id} v{script.Version} ran {MaxAutomaticSteps} nodes without waiting for the caller");
        }

        private static string KindOf(ScriptNode node) => node switch
        {
            SayNode => "say",
            AskNode => "ask",
            BranchNode => "branch",
            CollectDtmfNode => "collectDtmf",
            SetVariableNode => "set",
            TransferNode => "transfer",
            _ => "hangup",
        };

        private void Prompt(string nodeId, string? text, string? audio, bool bargeIn, bool useAudio)
        {
            if (text is null && (audio is null || !useAudio))
            {
                return;
            }

            Emit(new DialogEvent.PromptRequested(
                nodeId, text is null ? string.Empty : Templates.Render(text, _state.Variables), useAudio ? audio : null, _state.Voice, bargeIn, at));
        }

        private void Listen(AskNode ask)
        {
            var intents = ask.Expect.Select(e => e.Intent).Concat(script.GlobalIntents.Select(g => g.Intent)).Distinct(StringComparer.Ordinal).ToList();
            var keys = ask.Expect.Concat(script.GlobalIntents).Select(e => e.Dtmf).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            Emit(new DialogEvent.ListenRequested(ask.Id, intents, ScriptRecogniser.GrammarPhrases(script, intents), keys, ask.TimeoutMs, at));
        }
    }
}

/// <summary>The script cannot go on from here (only possible with a script that failed validation).</summary>
public sealed class DialogException(string message) : Exception(message);
