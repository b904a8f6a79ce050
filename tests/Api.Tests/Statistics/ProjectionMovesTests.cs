using Aicc.Api.Http.Statistics;
using Aicc.Api.Tests.Hosting;
using Aicc.Projections.Statistics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Aicc.Api.Tests.Statistics;

/// <summary>How streams learn that a read model moved: the checkpoint trigger and the chain of moves.</summary>
public sealed class ProjectionMovesTests(RunningHost host) : IClassFixture<RunningHost>
{
    private static readonly string[] Floor = [FloorProjection.ProjectionName];

    private ProjectionMoves Moves => host.Services.GetRequiredService<ProjectionMoves>();

    private NpgsqlDataSource DataSource => host.Services.GetRequiredService<NpgsqlDataSource>();

    /// <summary>Waits for a move of the floor with a fallback far longer than the test's own limit, so only a move ends it.</summary>
    private static async Task<Task<ProjectionMoves.Move>> FloorMovedAsync(Task<ProjectionMoves.Move> next)
    {
        var waiting = ProjectionMoves.WaitAsync(next, Floor, TimeSpan.FromMinutes(10), TimeProvider.System, CancellationToken.None);
        Assert.Same(waiting, await Task.WhenAny(waiting, Task.Delay(TimeSpan.FromSeconds(20))));
        return await waiting;
    }

    [Fact]
    public async Task GivenSeveralProjectionsMoveInOneCommit_WhenAStreamWaitsForTheLastOne_ThenItIsNotSkipped()
    {
        var next = Moves.Next;
        await using (var command = DataSource.CreateCommand(
            $"select pg_notify('{ProjectionMoves.Channel}', 'call-records'), pg_notify('{ProjectionMoves.Channel}', 'live-stats'), pg_notify('{ProjectionMoves.Channel}', 'floor')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var after = await FloorMovedAsync(next);
        Assert.False(after.IsCompleted, "nothing moved after the floor");
    }

    [Fact]
    public async Task GivenTheFloorCheckpointMoves_WhenAStreamWaits_ThenTheTriggerWakesIt_ButARewriteOfTheSamePositionDoesNot()
    {
        var next = Moves.Next;
        await using (var command = DataSource.CreateCommand("update es_projection_checkpoints set position = position + 1000000 where name = $1"))
        {
            command.Parameters.AddWithValue(FloorProjection.ProjectionName);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        next = await FloorMovedAsync(next);
        await using (var command = DataSource.CreateCommand("update es_projection_checkpoints set position = position, last_error = null where name = $1"))
        {
            command.Parameters.AddWithValue(FloorProjection.ProjectionName);
            await command.ExecuteNonQueryAsync();
        }

        // A later, real move is the first thing the chain delivers: the no-op update notified nobody.
        await using (var command = DataSource.CreateCommand($"select pg_notify('{ProjectionMoves.Channel}', 'marker')"))
        {
            await command.ExecuteNonQueryAsync();
        }

        var move = await next.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal("marker", move.Projection);
    }
}
