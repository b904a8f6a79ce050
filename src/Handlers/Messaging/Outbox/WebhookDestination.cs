using System.Net.Http.Headers;
using System.Text;

namespace Aicc.Handlers.Messaging.Outbox;

/// <summary>
/// Delivers outbox messages as HTTP POSTs to one endpoint (a tenant's CRM webhook). The body is
/// the payload as written; the message's headers become request headers; the message id goes
/// in <c>Idempotency-Key</c> so that the receiver can drop redeliveries. Any status other than
/// 2xx counts as not delivered.
/// </summary>
public sealed class WebhookDestination(HttpClient httpClient, Uri endpoint, string contentType = "application/json") : IOutboxDestination
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public async Task DeliverAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent(message.Payload, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TryAddWithoutValidation(IdempotencyKeyHeader, message.Id.ToString());
        foreach (var (name, value) in message.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(
                $"Webhook {endpoint} answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }
    }
}
