namespace Aicc.Domain.Tests.Dialing;

/// <summary>
/// Given(events).When(command).Then(events) for a pure decider: folds the given events with
/// Evolve, runs Decide, compares the events (records compare by value).
/// </summary>
internal sealed class DeciderSpec<TCommand, TEvent, TState>(
    Func<TCommand, TState, IReadOnlyList<TEvent>> decide,
    Func<TState, TEvent, TState> evolve,
    TState initial)
    where TCommand : class
{
    private TEvent[] _given = [];
    private TCommand? _when;

    public DeciderSpec<TCommand, TEvent, TState> Given(params TEvent[] events)
    {
        _given = events;
        return this;
    }

    public DeciderSpec<TCommand, TEvent, TState> When(TCommand command)
    {
        _when = command;
        return this;
    }

    public void Then(params TEvent[] expected) => Assert.Equal(expected, Decide());

    public TException ThenThrows<TException>()
        where TException : Exception => Assert.Throws<TException>(() => Decide());

    /// <summary>The state after the given events and the decided ones.</summary>
    public TState ThenState() => Decide().Aggregate(State(), evolve);

    private TState State() => _given.Aggregate(initial, evolve);

    private IReadOnlyList<TEvent> Decide() =>
        decide(_when ?? throw new InvalidOperationException("When(command) is missing"), State());
}
