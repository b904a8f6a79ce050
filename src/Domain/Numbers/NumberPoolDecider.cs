using System.Collections.Immutable;
using Aicc.Domain.Common;

namespace Aicc.Domain.Numbers;

/// <summary>What operators do to a tenant's caller-number pool (seed 003's number resources).</summary>
public abstract record NumberPoolEvent
{
    private NumberPoolEvent()
    {
    }

    public abstract Guid PoolId { get; init; }

    /// <summary>A pool exists; callees the city table does not place count as <paramref name="DefaultCity"/>.</summary>
    public sealed record Created(Guid PoolId, Guid TenantId, string Name, string DefaultCity, DateTimeOffset CreatedAt) : NumberPoolEvent;

    /// <summary>A number joined the pool or its kind, city, caps, cost or state changed.</summary>
    public sealed record NumberSet(Guid PoolId, CallerNumber Number, DateTimeOffset SetAt) : NumberPoolEvent;

    /// <summary>A number left the pool (returned to the carrier).</summary>
    public sealed record NumberRemoved(Guid PoolId, string Number, DateTimeOffset RemovedAt) : NumberPoolEvent;
}

/// <summary>Requests about a caller-number pool.</summary>
public abstract record NumberPoolCommand
{
    private NumberPoolCommand()
    {
    }

    public sealed record Create(Guid PoolId, Guid TenantId, string Name, string DefaultCity, DateTimeOffset Now) : NumberPoolCommand;

    public sealed record SetNumber(Guid PoolId, CallerNumber Number, DateTimeOffset Now) : NumberPoolCommand;

    public sealed record RemoveNumber(Guid PoolId, string Number, DateTimeOffset Now) : NumberPoolCommand;
}

/// <summary>A pool as its stream tells it: none yet, or its name and numbers.</summary>
public abstract record NumberPoolState
{
    private NumberPoolState()
    {
    }

    public sealed record None : NumberPoolState;

    public sealed record Active(string Name, NumberPool Pool) : NumberPoolState;

    public static NumberPoolState Initial { get; } = new None();
}

/// <summary>Decides pool changes: numbers are E.164 text, caps positive, one entry per number.</summary>
public static class NumberPoolDecider
{
    public static Decider<NumberPoolCommand, NumberPoolEvent, NumberPoolState> Definition { get; } = new(Decide, Evolve, NumberPoolState.Initial);

    public static IReadOnlyList<NumberPoolEvent> Decide(NumberPoolCommand command, NumberPoolState state) => (command, state) switch
    {
        (NumberPoolCommand.Create c, NumberPoolState.None) when string.IsNullOrWhiteSpace(c.Name) || string.IsNullOrWhiteSpace(c.DefaultCity) =>
            throw new DomainException("number_pool.invalid", "A pool needs a name and a default city."),
        (NumberPoolCommand.Create c, NumberPoolState.None) => [new NumberPoolEvent.Created(c.PoolId, c.TenantId, c.Name.Trim(), c.DefaultCity.Trim(), c.Now)],
        (NumberPoolCommand.Create c, NumberPoolState.Active a) when a.Name == c.Name.Trim() => [],
        (NumberPoolCommand.Create, _) => throw new DomainException("number_pool.already_exists", "A pool with this id already exists."),
        (_, NumberPoolState.None) => throw new DomainException("number_pool.not_found", "The number pool does not exist."),
        (NumberPoolCommand.SetNumber c, NumberPoolState.Active a) => SetNumber(c, a.Pool),
        (NumberPoolCommand.RemoveNumber c, NumberPoolState.Active a) => a.Pool.Numbers.Any(n => n.Number == c.Number)
            ? [new NumberPoolEvent.NumberRemoved(c.PoolId, c.Number, c.Now)]
            : [],
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "unknown pool command"),
    };

    public static NumberPoolState Evolve(NumberPoolState state, NumberPoolEvent e) => (state, e) switch
    {
        (NumberPoolState.None, NumberPoolEvent.Created c) => new NumberPoolState.Active(c.Name, new NumberPool(c.PoolId.ToString(), c.TenantId.ToString(), c.DefaultCity, [])),
        (NumberPoolState.Active a, NumberPoolEvent.NumberSet s) => a with
        {
            Pool = a.Pool with { Numbers = [.. a.Pool.Numbers.Where(n => n.Number != s.Number.Number), s.Number] },
        },
        (NumberPoolState.Active a, NumberPoolEvent.NumberRemoved r) => a with
        {
            Pool = a.Pool with { Numbers = [.. a.Pool.Numbers.Where(n => n.Number != r.Number)] },
        },
        _ => state,
    };

    private static IReadOnlyList<NumberPoolEvent> SetNumber(NumberPoolCommand.SetNumber c, NumberPool pool)
    {
        var n = c.Number;
        if (string.IsNullOrWhiteSpace(n.Number) || !n.Number.StartsWith('+') || !n.Number[1..].All(char.IsAsciiDigit) || n.Number.Length < 8)
        {
            throw new DomainException("number_pool.invalid_number", $"'{n.Number}' is not an E.164 number (+ and 7-15 digits).");
        }

        if (n.DailyCap < 1 || n.HourlyCap < 1 || n.HourlyCap > n.DailyCap || n.CostPerMinute < 0 || string.IsNullOrWhiteSpace(n.City))
        {
            throw new DomainException("number_pool.invalid_number", "A number needs a city, positive caps (hourly <= daily) and a cost >= 0.");
        }

        return pool.Numbers.Contains(n) ? [] : [new NumberPoolEvent.NumberSet(c.PoolId, n, c.Now)];
    }
}
