using Aicc.Domain.Common;

namespace Aicc.Handlers.Commands;

/// <summary>
/// An aggregate's pure decider (from the domain) and the stream type its streams are stored
/// under, so one generic runner can load, decide and append for every aggregate.
/// </summary>
public sealed record StreamDecider<TState, TCommand, TEvent>(string StreamType, Decider<TCommand, TEvent, TState> Definition)
    where TEvent : class
{
    public TState Initial => Definition.Initial;

    public IReadOnlyList<TEvent> Decide(TCommand command, TState state) => Definition.Decide(command, state);

    public TState Evolve(TState state, TEvent @event) => Definition.Evolve(state, @event);
}
