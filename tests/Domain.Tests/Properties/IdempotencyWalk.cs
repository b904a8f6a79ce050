using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Properties;

/// <summary>
/// Random walks through a decider with a pool of commands: every accepted command, decided again
/// on the state it produced, must produce nothing (retransmissions and duplicate webhooks are
/// normal), and nothing but a <see cref="DomainException"/> may ever escape Decide or Evolve.
/// </summary>
public static class IdempotencyWalk
{
    public static int Run<TCommand, TEvent, TState>(
        Decider<TCommand, TEvent, TState> decider,
        IReadOnlyList<TCommand> pool,
        int seed,
        int steps = 3000)
    {
        var random = new Random(seed);
        var state = decider.Initial;
        var accepted = 0;
        var idle = 0;
        for (var step = 0; step < steps; step++)
        {
            var command = pool[random.Next(pool.Count)];
            var events = TryDecide(decider, command, state);
            if (events is { Count: > 0 })
            {
                state = events.Aggregate(state, decider.Evolve);
                var repeated = decider.Decide(command, state);
                Assert.True(repeated.Count == 0, $"step {step}: repeating {command} produced {string.Join(", ", repeated)}");
                accepted++;
                idle = 0;
            }
            else if (++idle > 4 * pool.Count)
            {
                // A history that has stopped moving (an ended call, a retired line) starts over.
                state = decider.Initial;
                idle = 0;
            }
        }

        return accepted;
    }

    private static IReadOnlyList<TEvent>? TryDecide<TCommand, TEvent, TState>(
        Decider<TCommand, TEvent, TState> decider, TCommand command, TState state)
    {
        try
        {
            return decider.Decide(command, state);
        }
        catch (DomainException)
        {
            return null;
        }
    }
}
