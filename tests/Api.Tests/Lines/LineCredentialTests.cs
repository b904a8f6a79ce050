using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Security;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Lines;

public sealed class LineCredentialTests(RunningHost host) : IClassFixture<RunningHost>
{
    private const string Password = "Carrier-Pa55-7f3a";

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<string> StoredLineEventsAsync(string tenant)
    {
        await using var command = host.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "select coalesce(string_agg(data::text, ' '), '') from es_events where tenant_id = $1 and stream_id like 'line-%'");
        command.Parameters.AddWithValue(tenant);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task GivenALineWithTrunkCredentials_WhenCreatedAndRead_ThenThePasswordIsStoredEncrypted_NeverReturned_AndOpensForTheDialer()
    {
        var tenant = await host.CreateTenantAsync("Trunk Co");
        using var client = host.ClientWithKey(tenant.ApiKey);

        var created = await client.PostAsJsonAsync("/api/v1/lines",
            new { name = "Carrier A", address = "sip.carrier.example:5060", maxChannels = 10, username = "acct-1001", password = Password });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, createdText, StringComparison.Ordinal);
        var body = JsonDocument.Parse(createdText).RootElement;
        Assert.True(body.GetProperty("hasPassword").GetBoolean());
        Assert.Equal("acct-1001", body.GetProperty("username").GetString());
        var lineId = body.GetProperty("id").GetGuid();

        var one = await client.GetAsync($"/api/v1/lines/{lineId}");
        Assert.Equal(created.Headers.ETag, one.Headers.ETag);
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, oneText, StringComparison.Ordinal);
        Assert.Contains("acct-1001", oneText, StringComparison.Ordinal);
        var list = await client.GetStringAsync("/api/v1/lines");
        Assert.DoesNotContain(Password, list, StringComparison.Ordinal);
        Assert.Contains("acct-1001", list, StringComparison.Ordinal);
        var events = await StoredLineEventsAsync(tenant.TenantId.ToString());
        Assert.DoesNotContain(Password, events, StringComparison.Ordinal);
        Assert.Contains("aesgcm1:", events, StringComparison.Ordinal);

        var secrets = host.Services.GetRequiredService<LineSecrets>();
        Assert.Equal(new TrunkCredentials("acct-1001", Password), await secrets.LoadAsync(tenant.TenantId, lineId));
        Assert.DoesNotContain(Password, (await secrets.LoadAsync(tenant.TenantId, lineId))!.ToString(), StringComparison.Ordinal);
        var other = await host.CreateTenantAsync("Other Trunk Co");
        Assert.Null(await secrets.LoadAsync(other.TenantId, lineId));
        using var otherClient = host.ClientWithKey(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClient.GetAsync($"/api/v1/lines/{lineId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(otherClient, lineId, new { username = "x", password = "y" }, null)).StatusCode);
        Assert.Empty((await Json(await otherClient.GetAsync("/api/v1/lines"))).EnumerateArray());
    }

    [Fact]
    public void GivenASealedPassword_WhenCopiedOntoAnotherLine_ThenItDoesNotOpen()
    {
        var secrets = host.Services.GetRequiredService<LineSecrets>();
        var tenant = Guid.NewGuid();
        var sealedForA = secrets.Protect(tenant, Guid.NewGuid(), "user", Password);

        Assert.ThrowsAny<CryptographicException>(() => secrets.RevealPassword(tenant, Guid.NewGuid(), sealedForA));
        Assert.ThrowsAny<CryptographicException>(() => secrets.RevealPassword(Guid.NewGuid(), Guid.NewGuid(), sealedForA));
    }

    [Fact]
    public async Task GivenALine_WhenCredentialsAreChangedAndRemoved_ThenTheDialerSeesEachChange_AndHalfCredentialsAreRefused()
    {
        var tenant = await host.CreateTenantAsync("Rotating Trunk Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var created = await client.PostAsJsonAsync("/api/v1/lines", new { name = "Carrier B", address = "10.1.1.1", maxChannels = 2 });
        var lineId = (await Json(created)).GetProperty("id").GetGuid();
        var secrets = host.Services.GetRequiredService<LineSecrets>();
        Assert.Null(await secrets.LoadAsync(tenant.TenantId, lineId));

        var half = await client.PostAsJsonAsync("/api/v1/lines", new { name = "Half", address = "10.1.1.2", maxChannels = 2, username = "only-user" });
        Assert.Equal(HttpStatusCode.BadRequest, half.StatusCode);
        Assert.True((await Json(half)).GetProperty("errors").TryGetProperty("password", out _));

        var set = await PutAsync(client, lineId, new { username = "acct-2", password = "first" }, created.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new TrunkCredentials("acct-2", "first"), await secrets.LoadAsync(tenant.TenantId, lineId));
        Assert.Equal(HttpStatusCode.Conflict, (await PutAsync(client, lineId, new { username = "acct-2", password = "stale" }, created.Headers.ETag!.Tag)).StatusCode);

        var removed = await PutAsync(client, lineId, new { username = (string?)null, password = (string?)null }, null);
        Assert.False((await Json(removed)).GetProperty("hasPassword").GetBoolean());
        Assert.Null(await secrets.LoadAsync(tenant.TenantId, lineId));
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(client, Guid.NewGuid(), new { username = "x", password = "y" }, null)).StatusCode);
        var row = Assert.Single((await Json(await client.GetAsync("/api/v1/lines"))).EnumerateArray());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("username").ValueKind);
    }

    [Fact]
    public async Task GivenAnIdempotencyKey_WhenALineWithCredentialsIsCreatedTwice_ThenOneLine()
    {
        var tenant = await host.CreateTenantAsync("Retry Trunk Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        async Task<Guid> PostAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/lines")
            {
                Content = JsonContent.Create(new { name = "C", address = "10.2.2.2", maxChannels = 3, username = "u", password = Password }),
            };
            request.Headers.Add("Idempotency-Key", "line-c");
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await Json(response)).GetProperty("id").GetGuid();
        }

        Assert.Equal(await PostAsync(), await PostAsync());
        Assert.Single((await Json(await client.GetAsync("/api/v1/lines"))).EnumerateArray());
    }

    [Fact]
    public async Task GivenCallsTakingChannelsAfterARead_WhenCredentialsAreSetWithThatReadsETag_ThenAccepted()
    {
        var tenant = await host.CreateTenantAsync("Busy Trunk Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var created = await client.PostAsJsonAsync("/api/v1/lines", new { name = "Carrier C", address = "10.1.1.3", maxChannels = 2 });
        var lineId = (await Json(created)).GetProperty("id").GetGuid();
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        // A dialer takes and gives back a channel after the operator's read: the ETag moves, the settings do not.
        var call = Guid.CreateVersion7();
        await CommandRunner.RunAsync(store, Deciders.Line, tenant.TenantId.ToString(), Deciders.Line.StreamId(lineId), new LineCommand.SeizeChannel(lineId, call, DateTimeOffset.UtcNow));
        await CommandRunner.RunAsync(store, Deciders.Line, tenant.TenantId.ToString(), Deciders.Line.StreamId(lineId), new LineCommand.ReleaseChannel(lineId, call, DateTimeOffset.UtcNow));

        var set = await PutAsync(client, lineId, new { username = "acct-3", password = "busy" }, created.Headers.ETag!.Tag);

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(new TrunkCredentials("acct-3", "busy"), await host.Services.GetRequiredService<LineSecrets>().LoadAsync(tenant.TenantId, lineId));
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid lineId, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/lines/{lineId}/credentials") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return client.SendAsync(request);
    }
}
