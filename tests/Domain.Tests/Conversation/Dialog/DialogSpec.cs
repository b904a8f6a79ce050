using Aicc.Domain.Conversation.Dialog;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Tests.Conversation.Dialog;

/// <summary>
/// Given(inputs).When(input).Then(events) over the dialog decider. Events are compared as
/// short descriptions so a failing spec reads like the conversation it describes.
/// </summary>
internal sealed class DialogSpec(DialogScript script)
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private DialogState _state = DialogState.Initial;
    private IReadOnlyList<DialogEvent> _last = [];
    private int _tick;

    public DialogState State => _state;

    public IReadOnlyList<DialogEvent> Events => _last;

    public DateTimeOffset Now => T0.AddSeconds(_tick);

    public DialogSpec Given(params Func<DateTimeOffset, DialogInput>[] inputs)
    {
        foreach (var input in inputs)
        {
            Apply(input);
        }

        return this;
    }

    public DialogSpec When(Func<DateTimeOffset, DialogInput> input)
    {
        Apply(input);
        return this;
    }

    public DialogSpec Then(params string[] expected)
    {
        Assert.Equal(expected, _last.Select(Describe).ToArray());
        return this;
    }

    public DialogSpec ThenIncludes(params string[] expected)
    {
        var described = _last.Select(Describe).ToList();
        foreach (var line in expected)
        {
            Assert.Contains(line, described);
        }

        return this;
    }

    private void Apply(Func<DateTimeOffset, DialogInput> input)
    {
        _tick++;
        (_state, _last) = DialogDecider.Handle(script, _state, input(Now));
        Assert.All(_last, e => Assert.Equal(Now, e.At));
    }

    public static string Describe(DialogEvent e) => e switch
    {
        DialogEvent.DialogStarted s => $"started {s.ScriptId} v{s.ScriptVersion} voice={s.Voice}",
        DialogEvent.NodeEntered n => $"enter {n.NodeId}",
        DialogEvent.PromptRequested p => $"say {p.NodeId}{(p.BargeIn ? " (barge-in)" : string.Empty)}: {p.Text}",
        DialogEvent.PromptPlayed p => $"played {p.NodeId}",
        DialogEvent.PlaybackStopped p => $"stop playback {p.NodeId}",
        DialogEvent.ListenRequested l => $"listen {l.NodeId} keys={string.Join(",", l.DtmfKeys)} timeout={l.TimeoutMs}",
        DialogEvent.DtmfCollectionRequested d => $"collect digits {d.NodeId} max={d.MaxDigits} until={d.Terminator}",
        DialogEvent.CallerSpoke c => $"caller said: {c.Text}",
        DialogEvent.IntentDetected i => $"intent {i.Intent}",
        DialogEvent.DtmfPressed d => $"pressed {d.Digits}",
        DialogEvent.NoInputCounted n => $"no input {n.Count}",
        DialogEvent.NoMatchCounted n => $"no match {n.Count}",
        DialogEvent.VariableSet v => $"set {v.Name}={v.Value}",
        DialogEvent.TransferRequested t => $"transfer to {t.SkillGroup}",
        DialogEvent.TransferFailed t => $"transfer failed: {t.Reason}",
        DialogEvent.DoNotCallRequested => "add to do-not-call",
        DialogEvent.HangupRequested h => $"hang up: {h.Disposition}",
        DialogEvent.CallerHungUp => "caller hung up",
        _ => e.ToString(),
    };
}

/// <summary>Short constructors for inputs, so specs read as a call.</summary>
internal static class Caller
{
    public static readonly Dictionary<string, string> Customer = new()
    {
        ["name"] = "Ann", ["company"] = "Acme", ["product"] = "Fibre 500", ["price"] = "30",
    };

    public static Func<DateTimeOffset, DialogInput> Answers(string? voice = null) => at => new DialogInput.CallAnswered(Customer, voice, at);

    public static Func<DateTimeOffset, DialogInput> PromptEnds() => at => new DialogInput.PromptFinished(at);

    public static Func<DateTimeOffset, DialogInput> StartsSpeaking() => at => new DialogInput.SpeechStarted(at);

    public static Func<DateTimeOffset, DialogInput> Says(string text, string intent, double confidence = 0.9) =>
        at => new DialogInput.UtteranceRecognised(text, intent, confidence, at);

    public static Func<DateTimeOffset, DialogInput> Presses(string digits) => at => new DialogInput.DtmfReceived(digits, at);

    public static Func<DateTimeOffset, DialogInput> StaysSilent() => at => new DialogInput.NoInputTimeout(at);

    public static Func<DateTimeOffset, DialogInput> NoAgentAnswers() => at => new DialogInput.TransferFailed("queue timeout", at);

    public static Func<DateTimeOffset, DialogInput> HangsUp() => at => new DialogInput.CallerHungUp(at);
}
