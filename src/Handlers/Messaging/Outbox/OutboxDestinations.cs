namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>
/// Where outbox messages go. Delivering means the receiver has accepted the message; throwing
/// means "not delivered, try again later". A destination may see a message more than once.
/// </summary>
public interface IOutboxDestination
{
    Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// Destinations by name. A relay claims only messages for names it knows, so a relay on a
/// node without (say) the SIP action destination leaves those messages to a node that has it.
/// </summary>
public sealed class OutboxDestinations
{
    private readonly Dictionary<string, IOutboxDestination> _destinations = new(StringComparer.Ordinal);

    public OutboxDestinations Add(string name, IOutboxDestination destination)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_destinations.TryAdd(name, destination))
        {
            throw new InvalidOperationException($"Outbox destination {name} is registered already.");
        }

        return this;
    }

    public IReadOnlyCollection<string> Names => _destinations.Keys;

    public IOutboxDestination? Find(string name) => _destinations.TryGetValue(name, out var destination) ? destination : null;
}

/// <summary>
/// Hands messages to code in this process (e.g. the SIP user agent's action queue). Still goes
/// through the outbox so that the action happens only if the transaction that asked for it
/// committed, and happens even if the process died right after the commit.
/// </summary>
public sealed class InProcessDestination(Func<OutboxMessage, CancellationToken, Task> deliver) : IOutboxDestination
{
    public Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken) => deliver(message, cancellationToken);
}
