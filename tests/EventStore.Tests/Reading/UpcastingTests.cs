using System.Text.Json;
using System.Text.Json.Nodes;
using Aicc.Testing;

namespace Aicc.EventStore.Tests.Reading;

public sealed class UpcastingTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private sealed record CallAnsweredV0(string Call, string AgentName);

    private sealed record CallEndedV1Legacy(string CallId, int Cause);

    [Fact]
    public async Task GivenEventsWrittenUnderRetiredNames_WhenReadWithUpcasters_ThenTheyArriveAsTheCurrentTypes()
    {
        var oldRegistry = new EventTypeRegistry()
            .Register<CallAnsweredV0>("call.answered.v0")
            .Register<CallEndedV1Legacy>("call.hungup.v1");
        var writer = await TestEvents.CreateStoreAsync(database, registry: oldRegistry);
        await writer.AppendAsync("acme", "old-call", "call", ExpectedVersion.NoStream,
            [new CallAnsweredV0("old-call", "agent-3"), new CallEndedV1Legacy("old-call", 16)]);

        var registry = TestEvents.Registry()
            .AddUpcaster("call.answered.v0", "call.answered.v1", old => new JsonObject
            {
                ["callId"] = old["call"]!.GetValue<string>(),
                ["agent"] = old["agentName"]!.GetValue<string>(),
                ["at"] = "2020-01-01T00:00:00+00:00",
            })
            .AddUpcaster<CallEndedV1Legacy, CallEnded>("call.hungup.v1",
                old => new CallEnded(old.CallId, old.Cause == 16 ? "normal-clearing" : "other", DateTimeOffset.UnixEpoch));
        var reader = new PostgresEventStore(database.DataSource, registry);

        var events = await reader.ReadStreamAsync("acme", "old-call");

        Assert.Equal(new CallAnswered("old-call", "agent-3", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)), events[0].Data);
        Assert.Equal("call.answered.v1", events[0].TypeName);
        Assert.Equal(new CallEnded("old-call", "normal-clearing", DateTimeOffset.UnixEpoch), events[1].Data);
        Assert.Equal("call.ended.v1", events[1].TypeName);
    }

    [Fact]
    public async Task GivenAnEventTypeThisProcessDoesNotKnow_WhenRead_ThenItArrivesAsRawJson()
    {
        var store = await TestEvents.CreateStoreAsync(database);
        await store.AppendAsync("acme", "mixed", "call", ExpectedVersion.NoStream, [new Noted(5)]);
        var stranger = new PostgresEventStore(database.DataSource, new EventTypeRegistry());

        var events = await stranger.ReadStreamAsync("acme", "mixed");

        var json = Assert.IsType<JsonElement>(events[0].Data);
        Assert.Equal(5, json.GetProperty("n").GetInt32());
        Assert.Equal("test.noted.v1", events[0].TypeName);
    }

    [Fact]
    public void GivenARegisteredName_WhenRegisteringItForAnotherTypeOrUpcastingIt_ThenTheRegistryRefuses()
    {
        var registry = TestEvents.Registry();

        Assert.Throws<ArgumentException>(() => registry.Register<CallEnded>("call.started.v1"));
        Assert.Throws<ArgumentException>(() => registry.AddUpcaster("call.started.v1", "call.ended.v1", o => o));
        Assert.Throws<UnknownEventTypeException>(() => registry.NameOf(typeof(CallAnsweredV0)));
    }
}
