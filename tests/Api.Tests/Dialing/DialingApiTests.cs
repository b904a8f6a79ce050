using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Compliance;
using Aicc.Domain.Dialing.Contacts;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Dialing;

/// <summary>Number pools, leases, dial lists, refusals and failure feedback through the real host.</summary>
public sealed class DialingApiTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    private async Task<HttpClient> EmployeeAsync(HttpClient admin, string login, string role)
    {
        var registered = await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var id = (await Json(registered)).GetProperty("id").GetGuid();
        var issued = await admin.PostAsJsonAsync($"/api/v1/employees/{id}/api-keys", new { label = "test" });
        Assert.Equal(HttpStatusCode.Created, issued.StatusCode);
        return host.ClientWithKey((await Json(issued)).GetProperty("apiKey").GetString()!);
    }

    private static async Task<Guid> PoolWithNumbersAsync(HttpClient client, params string[] numbers)
    {
        var created = await client.PostAsJsonAsync("/api/v1/number-pools", new { name = "north", defaultCity = "Beijing" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var poolId = (await Json(created)).GetProperty("id").GetGuid();
        foreach (var number in numbers)
        {
            var set = await client.PutAsJsonAsync($"/api/v1/number-pools/{poolId}/numbers/{Uri.EscapeDataString(number)}",
                new { kind = "fixed_line", city = "Beijing", dailyCap = 200, hourlyCap = 30, costPerMinute = 0.05m });
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        return poolId;
    }

    [Fact]
    public async Task GivenAPool_WhenOperatorsChangeItAndSupervisorsRead_ThenOnlyOperatorsAndAdminsWriteAndOtherTenantsSeeNothing()
    {
        var tenant = await host.CreateTenantAsync("Pool Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        using var supervisor = await EmployeeAsync(admin, "sue", "supervisor");
        using var operatorClient = await EmployeeAsync(admin, "otto", "operator");
        var poolId = await PoolWithNumbersAsync(operatorClient, "+861058000001", "+861058000002");

        var read = await supervisor.GetAsync($"/api/v1/number-pools/{poolId}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var numbers = (await Json(read)).GetProperty("numbers").EnumerateArray().Select(n => n.GetProperty("number").GetString()).ToList();
        Assert.Equal(["+861058000001", "+861058000002"], numbers);
        var write = await supervisor.PutAsJsonAsync($"/api/v1/number-pools/{poolId}/numbers/%2B861058000003",
            new { kind = "mobile", city = "Beijing", dailyCap = 10, hourlyCap = 5, costPerMinute = 0.1m });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        var removed = await operatorClient.DeleteAsync($"/api/v1/number-pools/{poolId}/numbers/%2B861058000002");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Single((await Json(removed)).GetProperty("numbers").EnumerateArray());

        var taskId = (await Json(await admin.PostAsJsonAsync("/api/v1/tasks", new { name = "Spring" }))).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await operatorClient.PutAsJsonAsync($"/api/v1/tasks/{taskId}/number-pool", new { poolId })).StatusCode);
        var task = await Json(await supervisor.GetAsync($"/api/v1/tasks/{taskId}"));
        Assert.Equal(poolId, task.GetProperty("setup").GetProperty("numberPoolId").GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await operatorClient.PutAsJsonAsync($"/api/v1/tasks/{taskId}/number-pool", new { poolId = Guid.NewGuid() })).StatusCode);

        var other = await host.CreateTenantAsync("Other Co");
        using var stranger = host.ClientWithKey(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/number-pools/{poolId}")).StatusCode);
        Assert.Empty((await Json(await stranger.GetAsync("/api/v1/number-pools"))).EnumerateArray());
    }

    [Fact]
    public async Task GivenALeasedNumber_WhenNobodyRenewsIt_ThenItEndsByItselfAfterItsTtlAndAnotherAgentMayTakeIt()
    {
        var tenant = await host.CreateTenantAsync("Lease Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var poolId = await PoolWithNumbersAsync(admin, "+861058000011");
        var alice = Guid.NewGuid();
        var bob = Guid.NewGuid();

        var first = await admin.PostAsJsonAsync($"/api/v1/number-pools/{poolId}/leases", new { agentId = alice, ttlSeconds = 5 });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var lease = await Json(first);
        Assert.Equal("+861058000011", lease.GetProperty("number").GetString());
        var taken = await admin.PostAsJsonAsync($"/api/v1/number-pools/{poolId}/leases", new { number = "+861058000011", agentId = bob, ttlSeconds = 5 });
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        var renewed = await admin.PostAsJsonAsync($"/api/v1/number-pools/{poolId}/leases/{lease.GetProperty("leaseId").GetGuid()}/renew", new { ttlSeconds = 5 });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        Assert.True(renewed.Content.Headers.ContentLength > 0);
        Assert.Single((await Json(await admin.GetAsync($"/api/v1/number-pools/{poolId}/leases"))).EnumerateArray());

        // The page closes: no renewal, no release. Time alone ends the lease.
        await Task.Delay(TimeSpan.FromSeconds(5.5));

        Assert.Empty((await Json(await admin.GetAsync($"/api/v1/number-pools/{poolId}/leases"))).EnumerateArray());
        var late = await admin.PostAsJsonAsync($"/api/v1/number-pools/{poolId}/leases/{lease.GetProperty("leaseId").GetGuid()}/renew", new { ttlSeconds = 5 });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        // The scheduled expiry also records the end in the pool's history.
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await store.ReadStreamAsync(tenant.TenantId.ToString(), Deciders.NumberLeases.StreamId(poolId))).Any(e => e.TypeName == "number_lease.expired.v1"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the lease's expiry was not recorded");
            await Task.Delay(200);
        }

        var second = await admin.PostAsJsonAsync($"/api/v1/number-pools/{poolId}/leases", new { number = "+861058000011", agentId = bob, ttlSeconds = 30 });
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var released = await admin.DeleteAsync($"/api/v1/number-pools/{poolId}/leases/{(await Json(second)).GetProperty("leaseId").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, released.StatusCode);
        Assert.Empty((await Json(await admin.GetAsync($"/api/v1/number-pools/{poolId}/leases"))).EnumerateArray());
    }

    [Fact]
    public async Task GivenANumberOnTheDoNotCallList_WhenChecked_ThenItIsNotDialableUntilRemoved()
    {
        var tenant = await host.CreateTenantAsync("List Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        using var supervisor = await EmployeeAsync(admin, "sue", "supervisor");

        var added = await admin.PostAsJsonAsync("/api/v1/dial-lists/do-not-call/numbers", new { number = "13800138000", reason = "asked on the phone" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var check = await Json(await supervisor.GetAsync("/api/v1/dial-check/%2B8613800138000"));
        Assert.True(check.GetProperty("doNotCall").GetBoolean());
        Assert.False(check.GetProperty("dialable").GetBoolean());
        Assert.Equal("asked on the phone", check.GetProperty("entries")[0].GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync("/api/v1/dial-lists/blacklist/numbers", new { number = "+8613800138001" })).StatusCode);

        var removed = await admin.DeleteAsync("/api/v1/dial-lists/do-not-call/numbers/%2B8613800138000");
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.True((await Json(removed)).GetProperty("dialable").GetBoolean());

        var other = await host.CreateTenantAsync("List Other Co");
        using var stranger = host.ClientWithKey(other.ApiKey);
        await admin.PostAsJsonAsync("/api/v1/dial-lists/blacklist/numbers", new { number = "+8613800138002", reason = "fraud" });
        Assert.True((await Json(await stranger.GetAsync("/api/v1/dial-check/%2B8613800138002"))).GetProperty("dialable").GetBoolean());

        var limits = await admin.PutAsJsonAsync("/api/v1/dial-limits", new { perCalleeMax = 2, perCalleePeriodHours = 48 });
        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);
        Assert.Equal(48, (await Json(await supervisor.GetAsync("/api/v1/dial-limits"))).GetProperty("perCalleePeriodHours").GetDouble());
    }

    [Fact]
    public async Task GivenARefusalAndAFailedCall_WhenSupervisorsAsk_ThenTheyReadTheReasonAndTheLinesFailures()
    {
        var tenant = await host.CreateTenantAsync("Feedback Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        var created = await admin.PostAsJsonAsync("/api/v1/tasks", new { name = "Spring" });
        var taskId = (await Json(created)).GetProperty("id").GetGuid();
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        var tenantKey = tenant.TenantId.ToString();
        var customer = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await CommandRunner.RunAsync(store, Deciders.DialingContact, tenantKey, Deciders.DialingContact.StreamId(DialingContactDecider.ContactId(taskId, customer)),
            new DialingContactCommand.Refuse(taskId, customer, "+8613800138000", 1, RefusalReason.DoNotCall, "on the do-not-call list", null, now));
        var lineId = Guid.NewGuid();
        var callId = Guid.NewGuid();
        await CommandRunner.RunAllAsync(store, Deciders.Call, tenantKey, Deciders.Call.StreamId(callId),
        [
            new CallCommand.CreateOutbound(callId, tenant.TenantId, taskId, Guid.NewGuid(), PhoneNumber.Parse("+8613800138009"), ValueMap.Empty, now),
            new CallCommand.Dial(callId, 1, lineId, PhoneNumber.Parse("+861058000001"), now),
            new CallCommand.HangUp(callId, HangUpParty.Platform, CloseReason.ChannelError, now),
        ]);

        var refusals = await Json(await admin.GetAsync($"/api/v1/tasks/{taskId}/refusals"));
        var refusal = Assert.Single(refusals.EnumerateArray());
        Assert.Equal(("DoNotCall", "+8613800138000"), (refusal.GetProperty("reason").GetString(), refusal.GetProperty("callee").GetString()));
        var failures = await Json(await admin.GetAsync($"/api/v1/dialing/failures?lineId={lineId}"));
        var failure = Assert.Single(failures.EnumerateArray());
        Assert.Equal(("ChannelError", 1), (failure.GetProperty("reason").GetString(), failure.GetProperty("count").GetInt32()));
        Assert.Equal("+8613800138009", Assert.Single(failure.GetProperty("numbers").EnumerateArray()).GetString());

        var other = await host.CreateTenantAsync("Feedback Other Co");
        using var stranger = host.ClientWithKey(other.ApiKey);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/tasks/{taskId}/refusals")).StatusCode);
        Assert.Empty((await Json(await stranger.GetAsync("/api/v1/dialing/failures"))).EnumerateArray());
    }
}
