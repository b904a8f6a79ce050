using System.Text.Json;
using Aicc.Domain.Dialing.Contacts;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Messaging.Scheduling;

namespace Aicc.Handlers.Dialing;

/// <summary>
/// The durable "this customer may be dialed again" message: scheduled with the hang-up that
/// planned the redial (or the refusal that postponed the attempt), handled by any scheduler
/// worker, whose handler appends the customer's <see cref="DialingContactEvent.RedialDue"/> in the
/// worker's own transaction. The task's dialer then finds the customer due. A dedupe key per
/// (task, customer, attempt) keeps one pending message per attempt.
/// </summary>
public static class RedialDueMessage
{
    public const string Type = "dialer.redial_due.v1";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static ScheduledMessageRequest Request(Guid tenantId, Guid taskId, Guid customerId, int attempt, DateTimeOffset dueAt) =>
        new(Deciders.TenantKey(tenantId), Type, JsonSerializer.Serialize(new Payload(tenantId, taskId, customerId, attempt), Json), dueAt,
            $"redial:{taskId}:{customerId}:{attempt}");

    /// <summary>Adds the handler for <see cref="Type"/> to a worker's handlers.</summary>
    public static ScheduledMessageHandlers AddRedialDue(this ScheduledMessageHandlers handlers, PostgresEventStore store) =>
        handlers.Add(Type, async (context, cancellationToken) =>
        {
            var payload = JsonSerializer.Deserialize<Payload>(context.Message.PayloadJson, Json)
                ?? throw new InvalidOperationException("A redial message without payload.");
            await CommandRunner.RunAsync(store.OpenSession(context.Connection, context.Transaction), store, Deciders.DialingContact,
                Deciders.TenantKey(payload.TenantId),
                Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(payload.TaskId, payload.CustomerId)),
                new DialingContactCommand.MarkDue(payload.TaskId, payload.CustomerId, payload.Attempt, context.Now),
                cancellationToken: cancellationToken);
        });

    private sealed record Payload(Guid TenantId, Guid TaskId, Guid CustomerId, int Attempt);
}
