using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Recording;
using Aicc.Telephony.Audio;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Calls;

/// <summary>
/// GET /api/v1/calls/{id}/recording through the real HTTP pipeline: who may hear a recording,
/// that the bytes are the stored WAV, and that the call record's recording URL points there.
/// </summary>
public sealed class CallRecordingDownloadTests(RunningHost host) : IClassFixture<RunningHost>
{
    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    private RecordingsFolder Folder => host.Services.GetRequiredService<RecordingsFolder>();

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private async Task<(Guid AgentId, HttpClient Client)> AgentAsync(HttpClient admin, string login)
    {
        var employeeId = (await Json(await admin.PostAsJsonAsync("/api/v1/employees", new { login, password = "long enough", role = "agent" }))).GetProperty("id").GetGuid();
        var key = (await Json(await admin.PostAsJsonAsync($"/api/v1/employees/{employeeId}/api-keys", new { label = "test" }))).GetProperty("apiKey").GetString()!;
        var agentId = (await Json(await admin.PostAsJsonAsync("/api/v1/agents", new { employeeId, skillGroups = new[] { "sales" } }))).GetProperty("id").GetGuid();
        return (agentId, host.ClientWithKey(key));
    }

    /// <summary>A call the agent took; when <paramref name="recorded"/>, recorded to a WAV in the host's recordings folder as the distributor does.</summary>
    private async Task<string?> CallAsync(Guid tenantId, Guid agentId, Guid callId, bool recorded)
    {
        var at = DateTimeOffset.UtcNow;
        var recordingId = Guid.NewGuid();
        var location = RecordingsFolder.LocationOf(tenantId, callId, recordingId);
        var commands = new List<CallCommand>
        {
            new CallCommand.CreateOutbound(callId, tenantId, null, null, PhoneNumber.Parse("13800000001"), ValueMap.Empty, at),
            new CallCommand.Dial(callId, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), at),
            new CallCommand.Answer(callId, at.AddSeconds(2)),
            new CallCommand.OfferToAgent(callId, agentId, at.AddSeconds(3)),
            new CallCommand.ConnectAgent(callId, agentId, at.AddSeconds(4)),
        };
        if (recorded)
        {
            var path = Folder.PathOf(location)!;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WavFile.Write(path, ToneGenerator.Generate(600, TimeSpan.FromSeconds(1)));
            commands.Add(new CallCommand.StartRecording(callId, recordingId, at.AddSeconds(4)));
        }

        commands.Add(new CallCommand.HangUp(callId, HangUpParty.Customer, CloseReason.Normal, at.AddSeconds(30)));
        if (recorded)
        {
            commands.Add(new CallCommand.StopRecording(callId, recordingId, location, at.AddSeconds(30)));
        }

        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(Store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command);
        }

        return recorded ? Folder.PathOf(location) : null;
    }

    [Fact]
    public async Task GivenARecordedCall_WhenItsRecordingIsFetched_ThenAdminsAndTheAgentWhoTookItGetTheWav_OtherAgentsAndTenantsDoNot()
    {
        var tenant = await host.CreateTenantAsync("Recordings Co");
        var other = await host.CreateTenantAsync("Other Co");
        using var admin = host.ClientWithKey(tenant.ApiKey);
        using var otherAdmin = host.ClientWithKey(other.ApiKey);
        var (ann, annClient) = await AgentAsync(admin, "ann");
        var (_, bobClient) = await AgentAsync(admin, "bob");
        var (recorded, silent) = (Guid.NewGuid(), Guid.NewGuid());
        var wav = (await CallAsync(tenant.TenantId, ann, recorded, recorded: true))!;
        await CallAsync(tenant.TenantId, ann, silent, recorded: false);
        var url = $"/api/v1/calls/{recorded}/recording";

        try
        {
            var heard = await admin.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, heard.StatusCode);
            Assert.Equal("audio/wav", heard.Content.Headers.ContentType?.MediaType);
            Assert.Equal(await File.ReadAllBytesAsync(wav), await heard.Content.ReadAsByteArrayAsync());
            var byAnn = await annClient.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, byAnn.StatusCode);
            Assert.Equal(new FileInfo(wav).Length, (await byAnn.Content.ReadAsByteArrayAsync()).Length);

            Assert.Equal(HttpStatusCode.Forbidden, (await bobClient.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await otherAdmin.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/calls/{silent}/recording")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/calls/{Guid.NewGuid()}/recording")).StatusCode);

            // The call record and the agent's recent calls link to the endpoint; the unrecorded call links nowhere.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            JsonElement record;
            do
            {
                await Task.Delay(100);
                var response = await admin.GetAsync($"/api/v1/calls/{recorded}");
                record = response.IsSuccessStatusCode ? await Json(response) : default;
            }
            while (DateTime.UtcNow < deadline && (record.ValueKind != JsonValueKind.Object || record.GetProperty("recordingUrl").ValueKind != JsonValueKind.String));

            Assert.Equal(url, record.GetProperty("recordingUrl").GetString());
            // The unrecorded call was written after the recorded one: wait for its closed record too.
            JsonElement unrecorded;
            do
            {
                var response = await admin.GetAsync($"/api/v1/calls/{silent}");
                unrecorded = response.IsSuccessStatusCode ? await Json(response) : default;
                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline && (unrecorded.ValueKind != JsonValueKind.Object || unrecorded.GetProperty("state").GetString() != "close"));

            Assert.Equal(JsonValueKind.Null, unrecorded.GetProperty("recordingUrl").ValueKind);
            var mine = (await Json(await annClient.GetAsync("/api/v1/agents/me/calls"))).GetProperty("items").EnumerateArray()
                .Single(c => c.GetProperty("callId").GetGuid() == recorded);
            Assert.Equal(url, mine.GetProperty("recordingUrl").GetString());
        }
        finally
        {
            File.Delete(wav);
        }
    }
}
