using System.Collections.Immutable;

namespace Aicc.Domain.Dialing;

/// <summary>
/// Live-answered calls of one task inside the regulator's sliding window and how many of them
/// were abandoned: the measured abandon rate the cap is about.
/// </summary>
public sealed record AbandonLedger
{
    private AbandonLedger(ImmutableQueue<LiveAnswer> entries, int answered, int abandoned)
    {
        Entries = entries;
        Answered = answered;
        Abandoned = abandoned;
    }

    /// <summary>One live answer and whether it was abandoned.</summary>
    public sealed record LiveAnswer(DateTimeOffset At, bool Abandoned);

    public static AbandonLedger Empty { get; } = new(ImmutableQueue<LiveAnswer>.Empty, 0, 0);

    /// <summary>The live answers in the window, oldest first.</summary>
    public ImmutableQueue<LiveAnswer> Entries { get; }

    /// <summary>Live-answered calls in the window.</summary>
    public int Answered { get; }

    /// <summary>Abandoned calls in the window.</summary>
    public int Abandoned { get; }

    /// <summary>Abandoned / live-answered in the window (0 when nothing was answered).</summary>
    public double Rate => Answered == 0 ? 0 : (double)Abandoned / Answered;

    /// <summary>Adds a resolved live answer and forgets the ones that left the window.</summary>
    public AbandonLedger Record(DateTimeOffset at, bool abandoned, TimeSpan window) =>
        new AbandonLedger(Entries.Enqueue(new LiveAnswer(at, abandoned)), Answered + 1, Abandoned + (abandoned ? 1 : 0))
            .Expire(at - window);

    private AbandonLedger Expire(DateTimeOffset before)
    {
        var entries = Entries;
        var answered = Answered;
        var abandoned = Abandoned;
        while (!entries.IsEmpty && entries.Peek().At < before)
        {
            entries = entries.Dequeue(out var gone);
            answered--;
            abandoned -= gone.Abandoned ? 1 : 0;
        }

        return answered == Answered ? this : new AbandonLedger(entries, answered, abandoned);
    }
}
