namespace Aicc.Domain.Common;

/// <summary>
/// An aggregate's pure functions as one value, so the handlers' generic command runner (load,
/// fold, decide, append) works for every stream without knowing its types.
/// </summary>
public sealed record Decider<TCommand, TEvent, TState>(
    Func<TCommand, TState, IReadOnlyList<TEvent>> Decide,
    Func<TState, TEvent, TState> Evolve,
    TState Initial)
{
    /// <summary>The state after a history of events.</summary>
    public TState Fold(IEnumerable<TEvent> history) => history.Aggregate(Initial, Evolve);
}
