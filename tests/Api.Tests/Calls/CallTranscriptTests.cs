using System.Net;
using System.Text.Json;
using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Calls;

/// <summary>The transcript read model and its endpoint, fed by a robot call's turn events appended through the command runner.</summary>
public sealed class CallTranscriptTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private async Task RunAsync(Guid tenantId, Guid callId, params CallCommand[] commands)
    {
        var store = host.Services.GetRequiredService<PostgresEventStore>();
        foreach (var command in commands)
        {
            await CommandRunner.RunAsync(store, Deciders.Call, Deciders.TenantKey(tenantId), Deciders.Call.StreamId(callId), command);
        }
    }

    private static CallCommand[] RobotConversation(Guid callId, Guid tenantId) =>
    [
        new CallCommand.CreateOutbound(callId, tenantId, Guid.NewGuid(), Guid.NewGuid(), PhoneNumber.Parse("13800138000"), ValueMap.Of(("name", "Alex"), ("plan", "gold")), T0),
        new CallCommand.Dial(callId, 1, Guid.NewGuid(), PhoneNumber.Parse("02161234567"), T0.AddSeconds(1)),
        new CallCommand.Answer(callId, T0.AddSeconds(5)),
        new CallCommand.ConnectRobot(callId, Guid.NewGuid(), new ScriptVersion(Guid.NewGuid(), 2), T0.AddSeconds(5)),
        new CallCommand.RecordPrompt(callId, "confirm", "Am I speaking with Alex?", "kal16", true, T0.AddSeconds(6)),
        new CallCommand.RecordBargeIn(callId, "confirm", T0.AddSeconds(7)),
        new CallCommand.RecordUtterance(callId, "confirm", "i want to speak to a human agent", 0.93, T0.AddSeconds(7), T0.AddSeconds(9), T0.AddSeconds(9.2)),
        new CallCommand.RecordIntent(callId, "confirm", "transfer_to_human", 0.93, T0.AddSeconds(9.2)),
        new CallCommand.RecordVariable(callId, "interest", "yes", T0.AddSeconds(9.3)),
        new CallCommand.RequestTransfer(callId, "sales", "caller wants a human", ValueMap.Of(("name", "Alex"), ("last_intent", "transfer_to_human")), T0.AddSeconds(9.4)),
    ];

    [Fact]
    public async Task GivenARobotHandedACallOver_WhenTheAgentReadsTheTranscript_ThenEveryTurnIntentAndVariableIsThereInOrder()
    {
        var tenant = await host.CreateTenantAsync("Transcripts Co");
        var callId = Guid.CreateVersion7();
        await RunAsync(tenant.TenantId, callId, RobotConversation(callId, tenant.TenantId));
        using var client = host.ClientWithKey(tenant.ApiKey);

        var response = await client.GetAsync($"/api/v1/calls/{callId}/transcript");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transcript = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal("sales", transcript.GetProperty("skillGroup").GetString());
        Assert.Equal("caller wants a human", transcript.GetProperty("transferReason").GetString());
        var variables = transcript.GetProperty("variables");
        Assert.Equal(("Alex", "gold", "yes", "transfer_to_human"), (
            variables.GetProperty("name").GetString(), variables.GetProperty("plan").GetString(),
            variables.GetProperty("interest").GetString(), variables.GetProperty("last_intent").GetString()));
        var lines = transcript.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(
            ["prompt", "barge_in", "utterance", "intent", "variable", "transfer_requested"],
            lines.Select(l => l.GetProperty("kind").GetString()));
        Assert.Equal(("robot", "Am I speaking with Alex?"), (lines[0].GetProperty("speaker").GetString(), lines[0].GetProperty("text").GetString()));
        Assert.Equal(0.93, lines[2].GetProperty("confidence").GetDouble());
        Assert.Equal(T0.AddSeconds(7), lines[2].GetProperty("speechStartedAt").GetDateTimeOffset());
        Assert.Equal(T0.AddSeconds(9), lines[2].GetProperty("speechEndedAt").GetDateTimeOffset());
        Assert.Equal("transfer_to_human", lines[3].GetProperty("intent").GetString());
    }

    [Fact]
    public async Task GivenNoAgentTookTheCall_WhenTheTranscriptIsRead_ThenTheHandOverIsNoLongerPendingAndTheFailureIsALine()
    {
        var tenant = await host.CreateTenantAsync("Transcripts Timeout Co");
        var callId = Guid.CreateVersion7();
        await RunAsync(tenant.TenantId, callId,
            [.. RobotConversation(callId, tenant.TenantId), new CallCommand.FailTransfer(callId, "no agent within 30 s", T0.AddSeconds(40))]);
        using var client = host.ClientWithKey(tenant.ApiKey);

        var transcript = JsonDocument.Parse(await client.GetStringAsync($"/api/v1/calls/{callId}/transcript")).RootElement;

        Assert.Equal(JsonValueKind.Null, transcript.GetProperty("skillGroup").ValueKind);
        var last = transcript.GetProperty("lines").EnumerateArray().Last();
        Assert.Equal(("transfer_failed", "no agent within 30 s"), (last.GetProperty("kind").GetString(), last.GetProperty("text").GetString()));
    }

    [Fact]
    public async Task GivenAnotherTenantsCall_WhenItsTranscriptIsAskedFor_ThenNotFound()
    {
        var owner = await host.CreateTenantAsync("Transcript Owner");
        var stranger = await host.CreateTenantAsync("Transcript Stranger");
        var callId = Guid.CreateVersion7();
        await RunAsync(owner.TenantId, callId, RobotConversation(callId, owner.TenantId));
        using var client = host.ClientWithKey(stranger.ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/calls/{callId}/transcript")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/v1/calls/{callId}/transcript")).StatusCode);
    }

    [Fact]
    public async Task GivenTheOpenApiDocument_ThenItDescribesTheTranscriptEndpoint()
    {
        var document = JsonDocument.Parse(await host.Client.GetStringAsync("/openapi/v1.json")).RootElement;
        var path = document.GetProperty("paths").GetProperty("/api/v1/calls/{callId}/transcript");
        Assert.Equal("GetCallTranscript", path.GetProperty("get").GetProperty("operationId").GetString());
    }
}
