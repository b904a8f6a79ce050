using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Aicc.Handlers.Tests.Messaging;

/// <summary>
/// A real HTTP endpoint (HttpListener on a free loopback port) that records every POST and
/// answers with whatever status <see cref="Respond"/> decides; returning null holds the request
/// open without answering, as a slow receiver would.
/// </summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentBag<HttpListenerContext> _held = [];
    private readonly Task _loop;

    public WebhookReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = new Uri($"http://127.0.0.1:{port}/hooks/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>Decides the answer per request (by arrival number, 1-based); null holds it open.</summary>
    public Func<ReceivedWebhook, int, int?> Respond { get; set; } = (_, _) => 200;

    public IReadOnlyList<ReceivedWebhook> Received => [.. _received];

    /// <summary>Drops every held request without an answer (its sender sees a broken connection).</summary>
    public void AbortHeld()
    {
        while (_held.TryTake(out var context))
        {
            context.Response.Abort();
        }
    }

    private async Task ServeAsync()
    {
        var count = 0;
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var headers = context.Request.Headers.AllKeys
                .Where(key => key is not null)
                .ToDictionary(key => key!, key => context.Request.Headers[key] ?? "", StringComparer.OrdinalIgnoreCase);
            var webhook = new ReceivedWebhook(context.Request.HttpMethod, body, headers);
            _received.Enqueue(webhook);
            var status = Respond(webhook, Interlocked.Increment(ref count));
            if (status is null)
            {
                _held.Add(context);
                continue;
            }

            context.Response.StatusCode = status.Value;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        AbortHeld();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedWebhook(string Method, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? IdempotencyKey => Headers.TryGetValue("Idempotency-Key", out var key) ? key : null;
}
