using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Specs;

/// <summary>
/// Given/When/Then over a pure decider: folds the given events into a state, decides the command,
/// and compares the events (by value) or the refusal's code. <see cref="Decision.ThenState"/> folds
/// the produced events too, so an event that Evolve forgets to handle shows up as a wrong state.
/// </summary>
public sealed class Spec<TState, TEvent, TCommand>(
    Func<TCommand, TState, IReadOnlyList<TEvent>> decide,
    Func<TState, TEvent, TState> evolve,
    TState initial)
{
    public Spec(Decider<TCommand, TEvent, TState> decider)
        : this(decider.Decide, decider.Evolve, decider.Initial)
    {
    }

    public Scenario Given(params TEvent[] events) => new(this, events);

    public Decision When(TCommand command) => Given().When(command);

    private TState Fold(TState state, IEnumerable<TEvent> events) => events.Aggregate(state, evolve);

    private TState Replay(IEnumerable<TEvent> history) => Fold(initial, history);

    /// <summary>One given history, ready to take a command.</summary>
    public sealed class Scenario(Spec<TState, TEvent, TCommand> spec, IReadOnlyList<TEvent> history)
    {
        public Decision When(TCommand command) => new(spec, spec.Replay(history), command);
    }

    private IReadOnlyList<TEvent> Decide(TCommand command, TState state) => decide(command, state);

    /// <summary>The outcome of deciding one command against the folded history.</summary>
    public sealed class Decision(Spec<TState, TEvent, TCommand> spec, TState state, TCommand command)
    {
        public Decision Then(params TEvent[] expected)
        {
            Assert.Equal(expected, spec.Decide(command, state));
            return this;
        }

        public Decision ThenNothing() => Then();

        public TException ThenThrows<TException>(string code)
            where TException : DomainException
        {
            var thrown = Assert.Throws<TException>(() => spec.Decide(command, state));
            Assert.Equal(code, thrown.Code);
            return thrown;
        }

        public Decision ThenState(Action<TState> assert)
        {
            assert(spec.Fold(state, spec.Decide(command, state)));
            return this;
        }
    }
}
