using Aicc.Api.Tests.Hosting;
using Aicc.Domain.Robots;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Switchboard;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Robots;

/// <summary>The inbound routing table as robots' number assignments keep it, on the real database.</summary>
public sealed class InboundNumberRoutingTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private PostgresEventStore Store => host.Services.GetRequiredService<PostgresEventStore>();

    private async Task<Guid> RobotAsync(Guid tenantId, params RobotCommand[] then)
    {
        var robotId = Guid.CreateVersion7();
        var tenant = Deciders.TenantKey(tenantId);
        await CommandRunner.RunAsync(Store, Deciders.Robot, tenant, Deciders.Robot.StreamId(robotId),
            new RobotCommand.Create(robotId, tenantId, "Anna", new ScriptVersion(Guid.NewGuid(), 1), "kal16", 5, T0));
        return robotId;
    }

    private Task RunAsync(Guid tenantId, Guid robotId, RobotCommand command) =>
        CommandRunner.RunAsync(Store, Deciders.Robot, Deciders.TenantKey(tenantId), Deciders.Robot.StreamId(robotId), command);

    [Fact]
    public async Task GivenARobotsNumber_WhenCalledWithOrWithoutThePlus_ThenTheRouteNamesTenantRobotLineAndOverflow()
    {
        var tenant = await host.CreateTenantAsync("Routing Co");
        var robotId = await RobotAsync(tenant.TenantId);
        var lineId = Guid.CreateVersion7();
        await RunAsync(tenant.TenantId, robotId, new RobotCommand.AssignInboundNumber(robotId, "+862150000001", lineId, "sales", T0));

        var exact = await InboundNumbers.FindAsync(Store.DataSource, "+862150000001", CancellationToken.None);
        var withoutPlus = await InboundNumbers.FindAsync(Store.DataSource, "862150000001", CancellationToken.None);

        Assert.Equal(new InboundNumbers.Route("+862150000001", tenant.TenantId, robotId, lineId, "sales"), exact);
        Assert.Equal(exact, withoutPlus);
        Assert.Null(await InboundNumbers.FindAsync(Store.DataSource, "+862150000002", CancellationToken.None));
    }

    [Fact]
    public async Task GivenARobotWithANumber_WhenItGetsAnotherOrIsRetired_ThenTheOldNumberNoLongerRoutes()
    {
        var tenant = await host.CreateTenantAsync("Renumbering Co");
        var robotId = await RobotAsync(tenant.TenantId);
        var lineId = Guid.CreateVersion7();
        await RunAsync(tenant.TenantId, robotId, new RobotCommand.AssignInboundNumber(robotId, "4008001001", lineId, null, T0));
        await RunAsync(tenant.TenantId, robotId, new RobotCommand.AssignInboundNumber(robotId, "4008001002", lineId, null, T0.AddDays(1)));

        Assert.Null(await InboundNumbers.FindAsync(Store.DataSource, "4008001001", CancellationToken.None));
        Assert.Equal(robotId, (await InboundNumbers.FindAsync(Store.DataSource, "4008001002", CancellationToken.None))?.RobotId);

        await RunAsync(tenant.TenantId, robotId, new RobotCommand.Retire(robotId, T0.AddDays(2)));
        Assert.Null(await InboundNumbers.FindAsync(Store.DataSource, "4008001002", CancellationToken.None));
    }

    [Fact]
    public async Task GivenANumberOfOneTenant_WhenAnotherTenantsRobotClaimsIt_ThenTheAssignmentFailsAndCallsStillReachTheFirst()
    {
        var first = await host.CreateTenantAsync("Number Owner");
        var second = await host.CreateTenantAsync("Number Thief");
        var owner = await RobotAsync(first.TenantId);
        var thief = await RobotAsync(second.TenantId);
        await RunAsync(first.TenantId, owner, new RobotCommand.AssignInboundNumber(owner, "4008002000", Guid.CreateVersion7(), null, T0));

        await Assert.ThrowsAsync<PostgresException>(() =>
            RunAsync(second.TenantId, thief, new RobotCommand.AssignInboundNumber(thief, "4008002000", Guid.CreateVersion7(), null, T0)));

        Assert.Equal(owner, (await InboundNumbers.FindAsync(Store.DataSource, "4008002000", CancellationToken.None))?.RobotId);
        var (state, _) = await CommandRunner.LoadAsync(Store, Deciders.Robot, Deciders.TenantKey(second.TenantId), Deciders.Robot.StreamId(thief), CancellationToken.None);
        Assert.Null(Assert.IsType<Robot.Active>(state).Inbound);
    }
}
