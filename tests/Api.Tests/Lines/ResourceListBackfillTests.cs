using System.Text.Json;
using Aicc.Domain.Lines;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.EventTypes;
using Aicc.Projections.Resources;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Lines;

public sealed class ResourceListBackfillTests(Hosting.RunningHost host) : IClassFixture<Hosting.RunningHost>
{
    [Fact]
    public async Task GivenLinesAndRobotsWrittenBeforeTheListsExisted_WhenTheBackfillRuns_ThenTheListsShowThemOnce()
    {
        var tenant = await host.CreateTenantAsync("Upgraded Co");
        using var client = host.ClientWithKey(tenant.ApiKey);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();
        var oldStore = new PostgresEventStore(dataSource, DomainEventTypes.CreateRegistry()); // no inline projections, as before the upgrade
        var key = tenant.TenantId.ToString();
        var lineId = Guid.CreateVersion7();
        var robotId = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        await oldStore.AppendAsync(key, Deciders.Line.StreamId(lineId), "line", ExpectedVersion.NoStream,
        [
            new LineEvent.Created(lineId, tenant.TenantId, "Old trunk", new LineConfig("10.9.9.9", LineTransport.Tcp, null, CallerIdRules.FromTaskPool, 4), now),
            new LineEvent.ChannelSeized(lineId, Guid.NewGuid(), 1, now),
            new LineEvent.WentUp(lineId, LineHealthSource.OptionsPing, now),
        ]);
        await oldStore.AppendAsync(key, Deciders.Robot.StreamId(robotId), "robot", ExpectedVersion.NoStream,
        [
            new RobotEvent.Created(robotId, tenant.TenantId, "Old bot", new ScriptVersion(Guid.NewGuid(), 1), "kal16", 3, now),
            new RobotEvent.CapacityChanged(robotId, 7, now),
        ]);
        Assert.Empty(JsonDocument.Parse(await client.GetStringAsync("/api/v1/lines")).RootElement.EnumerateArray());

        await using (var reset = dataSource.CreateCommand("delete from inline_backfills"))
        {
            await reset.ExecuteNonQueryAsync();
        }

        await ResourceListBackfill.RunAsync(oldStore, CancellationToken.None);
        await ResourceListBackfill.RunAsync(oldStore, CancellationToken.None);

        var line = Assert.Single(JsonDocument.Parse(await client.GetStringAsync("/api/v1/lines")).RootElement.EnumerateArray());
        Assert.Equal("tcp", line.GetProperty("transport").GetString());
        Assert.Equal(1, line.GetProperty("channelsInUse").GetInt32());
        Assert.Equal("up", line.GetProperty("health").GetString());
        Assert.Equal(3, line.GetProperty("version").GetInt64());
        var robot = Assert.Single(JsonDocument.Parse(await client.GetStringAsync("/api/v1/robots")).RootElement.EnumerateArray());
        Assert.Equal(7, robot.GetProperty("capacity").GetInt32());
    }
}
