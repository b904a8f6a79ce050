namespace Aicc.Handlers.Switchboard;

/// <summary>
/// How many calls each robot holds in this process, against the robot's capacity setting. A
/// robot's calls run where their legs are (a telephony node owns the calls it carries), so the
/// count is per process; a robot served by several nodes gets its capacity on each.
/// </summary>
public sealed class RobotSeats
{
    private readonly Dictionary<Guid, int> _busy = [];

    /// <summary>Takes a seat when the robot has one free; false means it is at capacity.</summary>
    public bool TryTake(Guid robotId, int capacity)
    {
        lock (_busy)
        {
            var busy = _busy.GetValueOrDefault(robotId);
            if (busy >= capacity)
            {
                return false;
            }

            _busy[robotId] = busy + 1;
            return true;
        }
    }

    /// <summary>Gives a seat back when the robot's call ends or leaves the robot.</summary>
    public void Release(Guid robotId)
    {
        lock (_busy)
        {
            if (_busy.TryGetValue(robotId, out var busy))
            {
                if (busy <= 1)
                {
                    _busy.Remove(robotId);
                }
                else
                {
                    _busy[robotId] = busy - 1;
                }
            }
        }
    }

    /// <summary>Calls the robot holds now.</summary>
    public int InUse(Guid robotId)
    {
        lock (_busy)
        {
            return _busy.GetValueOrDefault(robotId);
        }
    }
}
