using Aicc.Handlers.Switchboard;

namespace Aicc.Handlers.Tests.Switchboard;

public sealed class RobotSeatsTests
{
    private static readonly Guid Anna = Guid.Parse("0195a000-0000-7000-8000-0000000b0001");
    private static readonly Guid Bob = Guid.Parse("0195a000-0000-7000-8000-0000000b0002");

    [Fact]
    public void GivenARobotAtCapacity_WhenAnotherCallAsks_ThenItIsRefusedUntilASeatIsGivenBack()
    {
        var seats = new RobotSeats();
        Assert.True(seats.TryTake(Anna, 2));
        Assert.True(seats.TryTake(Anna, 2));

        Assert.False(seats.TryTake(Anna, 2));
        seats.Release(Anna);
        Assert.True(seats.TryTake(Anna, 2));
        Assert.Equal(2, seats.InUse(Anna));
    }

    [Fact]
    public void GivenOneRobotFull_WhenAnotherRobotIsAsked_ThenItsSeatsAreItsOwn()
    {
        var seats = new RobotSeats();
        Assert.True(seats.TryTake(Anna, 1));

        Assert.True(seats.TryTake(Bob, 1));
        Assert.Equal((1, 1), (seats.InUse(Anna), seats.InUse(Bob)));
    }

    [Fact]
    public void GivenACapacityLoweredBelowTheCallsHeld_WhenAskedAgain_ThenRefusedUntilEnoughEnd()
    {
        var seats = new RobotSeats();
        Assert.True(seats.TryTake(Anna, 3));
        Assert.True(seats.TryTake(Anna, 3));

        Assert.False(seats.TryTake(Anna, 1));
        seats.Release(Anna);
        Assert.False(seats.TryTake(Anna, 1));
        seats.Release(Anna);
        Assert.True(seats.TryTake(Anna, 1));
    }

    [Fact]
    public void GivenConcurrentCalls_WhenTheyRaceForSeats_ThenNoMoreThanTheCapacityGetOne()
    {
        var seats = new RobotSeats();
        var taken = 0;
        Parallel.For(0, 200, _ =>
        {
            if (seats.TryTake(Anna, 7))
            {
                Interlocked.Increment(ref taken);
            }
        });

        Assert.Equal(7, taken);
        Assert.Equal(7, seats.InUse(Anna));
    }
}
