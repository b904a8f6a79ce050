namespace Aicc.Domain.Calls;

/// <summary>
/// The moments of a call, by role: the customer's leg and the seat's leg (robot or agent). Seed 001's
/// two-leg columns are a view of it (<see cref="ToTwoLegTimes"/>), because which leg is "A" depends on
/// the direction: A is the caller's leg, and an outbound call's caller is the platform's seat.
/// After a robot-to-agent hand-over the seat is the robot (connected and talk time count from its
/// answer), so <paramref name="AgentConnectedAt"/> keeps when the first agent took the call over.
/// </summary>
public sealed record CallTimeline(
    DateTimeOffset CreatedAt,
    DateTimeOffset? CustomerCalledAt = null,
    DateTimeOffset? CustomerRingingAt = null,
    DateTimeOffset? CustomerAnsweredAt = null,
    DateTimeOffset? SeatCalledAt = null,
    DateTimeOffset? SeatAnsweredAt = null,
    DateTimeOffset? ConnectedAt = null,
    DateTimeOffset? ClosedAt = null,
    DateTimeOffset? AgentConnectedAt = null)
{
    public bool CustomerAnswered => CustomerAnsweredAt is not null;

    /// <summary>Seed 001's a_call_time ... duration; times are the first occurrence (a transfer does not reset them).</summary>
    public TwoLegTimes ToTwoLegTimes(CallDirection direction)
    {
        var duration = ConnectedAt is { } connected && ClosedAt is { } closed && closed > connected
            ? (int)(closed - connected).TotalSeconds
            : 0;
        return direction == CallDirection.Outbound
            ? new TwoLegTimes(SeatCalledAt, CustomerCalledAt, SeatAnsweredAt, CustomerAnsweredAt, ConnectedAt, ClosedAt, duration)
            : new TwoLegTimes(CustomerCalledAt, SeatCalledAt, CustomerAnsweredAt, SeatAnsweredAt, ConnectedAt, ClosedAt, duration);
    }
}

/// <summary>
/// Seed 001's unified call record times: A/B call (dial) times, A/B off-hook (answer) times, the
/// moment both sides were connected (双通), the close, and the talk duration in whole seconds.
/// </summary>
public sealed record TwoLegTimes(
    DateTimeOffset? ACallTime,
    DateTimeOffset? BCallTime,
    DateTimeOffset? AOffhookTime,
    DateTimeOffset? BOffhookTime,
    DateTimeOffset? ConnTime,
    DateTimeOffset? CloseTime,
    int DurationSeconds);
