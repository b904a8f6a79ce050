using Npgsql;

namespace Aicc.Handlers.Messaging.Scheduling;

/// <summary>
/// What a handler gets: the message, and the connection and transaction in which the worker
/// will also complete it. Database effects written through them commit together with the
/// completion (exactly once); effects outside the database happen at least once, so they
/// should carry <see cref="ScheduledMessage.Id"/> as an idempotency key.
/// </summary>
public sealed record ScheduledMessageContext(
    ScheduledMessage Message,
    NpgsqlConnection Connection,
    NpgsqlTransaction Transaction,
    DateTimeOffset Now);

/// <summary>Handles one message type; throwing means "failed, try again later".</summary>
public delegate Task ScheduledMessageHandler(ScheduledMessageContext context, CancellationToken cancellationToken);

/// <summary>
/// Handlers by message type name. A worker claims only the types it has handlers for, so
/// during a rolling deploy a node without a new handler leaves those messages to nodes that
/// have it instead of failing them.
/// </summary>
public sealed class ScheduledMessageHandlers
{
    private readonly Dictionary<string, ScheduledMessageHandler> _handlers = new(StringComparer.Ordinal);

    public ScheduledMessageHandlers Add(string messageType, ScheduledMessageHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageType);
        if (!_handlers.TryAdd(messageType, handler))
        {
            throw new InvalidOperationException($"A handler for scheduled message type {messageType} is registered already.");
        }

        return this;
    }

    public IReadOnlyCollection<string> MessageTypes => _handlers.Keys;

    public ScheduledMessageHandler? Find(string messageType) =>
        _handlers.TryGetValue(messageType, out var handler) ? handler : null;
}
