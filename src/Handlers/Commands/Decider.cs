namespace Aicc.Handlers.Commands;

/// <summary>
/// The three functions of an aggregate's pure decider, bundled so one generic runner can load,
/// decide and append for every aggregate.
/// </summary>
public sealed record Decider<TState, TCommand, TEvent>(
    string StreamType,
    TState Initial,
    Func<TCommand, TState, IReadOnlyList<TEvent>> Decide,
    Func<TState, TEvent, TState> Evolve)
    where TEvent : class
{
    public TState Fold(IEnumerable<TEvent> events) => events.Aggregate(Initial, Evolve);
}
