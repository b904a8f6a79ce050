using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Lines;

/// <summary>PUT /api/v1/lines/{id} through the real host, and channels in use on the line's GET and list.</summary>
public sealed class LineReconfigureApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private const string Password = "Carrier-Pa55-91c2";

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private static object Settings(string address = "sip2.carrier.example:5080", string transport = "tcp", int maxChannels = 4, object? callerId = null) =>
        new { address, transport, maxChannels, callerId = callerId ?? new { mode = "fixed", fixedNumber = "+861058000001", dialPrefix = "9" } };

    [Fact]
    public async Task GivenALineWithCredentials_WhenReconfigured_ThenEverySettingChanges_TheCredentialsStay_AndThePasswordIsNeverReturned()
    {
        var tenant = await host.CreateTenantAsync("Line Reconfigure Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (lineId, etag) = await CreateLineAsync(client);

        var put = await PutAsync(client, lineId, Settings(), etag);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var text = await put.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(("sip2.carrier.example:5080", "tcp", 4), (body.GetProperty("address").GetString(), body.GetProperty("transport").GetString(), body.GetProperty("maxChannels").GetInt32()));
        Assert.Equal(("fixed", "+861058000001", "9"), (body.GetProperty("callerId").GetProperty("mode").GetString(),
            body.GetProperty("callerId").GetProperty("fixedNumber").GetString(), body.GetProperty("callerId").GetProperty("dialPrefix").GetString()));
        Assert.Equal(("acct-7", true), (body.GetProperty("username").GetString(), body.GetProperty("hasPassword").GetBoolean()));
        Assert.Equal(new TrunkCredentials("acct-7", Password), await host.Services.GetRequiredService<LineSecrets>().LoadAsync(tenant.TenantId, lineId));

        var one = await client.GetAsync($"/api/v1/lines/{lineId}");
        Assert.Equal(put.Headers.ETag, one.Headers.ETag);
        var oneText = await one.Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, oneText, StringComparison.Ordinal);
        var read = JsonDocument.Parse(oneText).RootElement;
        Assert.Equal(("tcp", 4, "fixed"), (read.GetProperty("transport").GetString(), read.GetProperty("maxChannels").GetInt32(), read.GetProperty("callerId").GetProperty("mode").GetString()));
        var row = Assert.Single((await Json(await client.GetAsync("/api/v1/lines"))).EnumerateArray());
        Assert.Equal(("sip2.carrier.example:5080", 4), (row.GetProperty("address").GetString(), row.GetProperty("maxChannels").GetInt32()));

        // The same settings again change nothing.
        var again = await PutAsync(client, lineId, Settings(), null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(put.Headers.ETag, again.Headers.ETag);
    }

    [Fact]
    public async Task GivenCallsTakingChannelsAfterARead_WhenReconfiguredWithThatReadsETag_ThenItIsAccepted_ButAStaleSettingsETagIsAConflict()
    {
        var tenant = await host.CreateTenantAsync("Line Busy Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (lineId, etag) = await CreateLineAsync(client);
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var stream = Deciders.Line.StreamId(lineId);
        var call = Guid.CreateVersion7();
        // A dialer seizes a channel after the operator read the line: the ETag moves, the settings do not.
        await CommandRunner.RunAsync(store, Deciders.Line, tenant.TenantId.ToString(), stream, new LineCommand.SeizeChannel(lineId, call, DateTimeOffset.UtcNow));

        var one = await Json(await client.GetAsync($"/api/v1/lines/{lineId}"));
        Assert.Equal(1, one.GetProperty("channelsInUse").GetInt32());
        Assert.Equal(1, Assert.Single((await Json(await client.GetAsync("/api/v1/lines"))).EnumerateArray()).GetProperty("channelsInUse").GetInt32());

        var put = await PutAsync(client, lineId, Settings(maxChannels: 1), etag);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal((1, 1), ((await Json(put)).GetProperty("maxChannels").GetInt32(), (await Json(put)).GetProperty("channelsInUse").GetInt32()));

        // The settings changed since the create's ETag: a write based on it would undo that change.
        var stale = await PutAsync(client, lineId, Settings(maxChannels: 8), etag);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutAsync(client, lineId, Settings(), "not-an-etag")).StatusCode);
        Assert.Equal(1, (await Json(await client.GetAsync($"/api/v1/lines/{lineId}"))).GetProperty("maxChannels").GetInt32());

        await CommandRunner.RunAsync(store, Deciders.Line, tenant.TenantId.ToString(), stream, new LineCommand.ReleaseChannel(lineId, call, DateTimeOffset.UtcNow));
        Assert.Equal(0, (await Json(await client.GetAsync($"/api/v1/lines/{lineId}"))).GetProperty("channelsInUse").GetInt32());
    }

    [Fact]
    public async Task GivenBadSettings_WhenPut_ThenValidationProblemsNameEachField_AndNothingChanges()
    {
        var tenant = await host.CreateTenantAsync("Line Validation Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var (lineId, etag) = await CreateLineAsync(client);

        foreach (var (body, field) in new (object, string)[]
        {
            (Settings(address: " "), "address"),
            (Settings(transport: "carrier-pigeon"), "transport"),
            (Settings(transport: "2"), "transport"),
            (Settings(maxChannels: 0), "maxChannels"),
            (new { address = "gw:5060", transport = "udp", maxChannels = 2 }, "callerId"),
            (Settings(callerId: new { mode = "random" }), "callerId.mode"),
            (Settings(callerId: new { mode = "fixed" }), "callerId.fixedNumber"),
            (Settings(callerId: new { mode = "taskNumberPool", fixedNumber = "+861058000001" }), "callerId.fixedNumber"),
            (Settings(callerId: new { mode = "tenantDefault", dialPrefix = "9#" }), "callerId.dialPrefix"),
        })
        {
            var response = await PutAsync(client, lineId, body, null);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await Json(response);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{JsonSerializer.Serialize(body)}: {problem}");
        }

        Assert.Equal(etag, (await client.GetAsync($"/api/v1/lines/{lineId}")).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task GivenAnotherTenantsLine_WhenReconfigured_Then404_AndTheLineIsUnchanged()
    {
        var owner = await host.CreateTenantAsync("Line Owner Co");
        var other = await host.CreateTenantAsync("Line Nosy Co");
        using var ownerClient = host.ClientWithKey(owner.ApiKey);
        using var otherClient = host.ClientWithKey(other.ApiKey);
        var (lineId, etag) = await CreateLineAsync(ownerClient);

        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(otherClient, lineId, Settings(), null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(otherClient, lineId, Settings(), etag)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await PutAsync(ownerClient, Guid.NewGuid(), Settings(), null)).StatusCode);
        Assert.Equal(etag, (await ownerClient.GetAsync($"/api/v1/lines/{lineId}")).Headers.ETag!.Tag);
    }

    private static async Task<(Guid LineId, string ETag)> CreateLineAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/v1/lines",
            new { name = "Carrier B", address = "sip.carrier.example:5060", maxChannels = 10, username = "acct-7", password = Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var line = await Json(created);
        Assert.Equal(0, (await Json(await client.GetAsync($"/api/v1/lines/{line.GetProperty("id").GetGuid()}"))).GetProperty("channelsInUse").GetInt32());
        return (line.GetProperty("id").GetGuid(), created.Headers.ETag!.Tag);
    }

    private static Task<HttpResponseMessage> PutAsync(HttpClient client, Guid lineId, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/lines/{lineId}") { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request);
    }
}
