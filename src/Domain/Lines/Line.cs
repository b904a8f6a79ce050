using System.Text.Json.Serialization;
using Aicc.Domain.Common;
using Aicc.Domain.PhoneNumbers;

namespace Aicc.Domain.Lines;

/// <summary>
/// A line on a SIP gateway or trunk (seed 000: 线路 belongs to a gateway and has a concurrency and
/// an occupancy). The stream is the single place channel use is counted, so optimistic
/// concurrency on it is what keeps concurrent dialers under the carrier's channel cap.
/// </summary>
public abstract record Line
{
    private Line()
    {
    }

    public sealed record None : Line;

    /// <summary><paramref name="ChannelsInUse"/> lists the calls holding a channel, oldest first.</summary>
    public sealed record Active(
        Guid LineId,
        Guid TenantId,
        string Name,
        LineConfig Config,
        LineHealth Health,
        ValueList<Guid> ChannelsInUse) : Line;

    public sealed record Retired(Guid LineId, Guid TenantId, string Name) : Line;

    public static Line Initial { get; } = new None();

    public static Line Evolve(Line state, LineEvent @event) => (state, @event) switch
    {
        (None, LineEvent.Created e) => new Active(e.LineId, e.TenantId, e.Name, e.Config, LineHealth.Unknown, ValueList<Guid>.Empty),
        (Active s, LineEvent.Reconfigured e) => s with { Config = e.Config },
        (Active s, LineEvent.ChannelSeized e) => s with { ChannelsInUse = s.ChannelsInUse.Add(e.CallId) },
        (Active s, LineEvent.ChannelReleased e) => s with
        {
            ChannelsInUse = s.ChannelsInUse.Where(callId => callId != e.CallId).ToValueList(),
        },
        (Active s, LineEvent.WentUp) => s with { Health = LineHealth.Up },
        (Active s, LineEvent.WentDown) => s with { Health = LineHealth.Down },
        (Active s, LineEvent.Retired) => new Retired(s.LineId, s.TenantId, s.Name),
        _ => state,
    };
}

/// <summary>How to reach the gateway and how much it may carry.</summary>
public sealed record LineConfig(
    string Address,
    LineTransport Transport,
    LineCredentials? Credentials,
    CallerIdRules CallerId,
    int MaxChannels);

/// <summary>SIP transports a trunk may use.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineTransport>))]
public enum LineTransport
{
    Udp = 1,
    Tcp,
    Tls,
    WebSocket,
    SecureWebSocket,
}

/// <summary>
/// Trunk registration credentials. Unlike staff passwords these must be replayed to the carrier in
/// digest authentication, so they cannot be hashed: the handler encrypts the password (data
/// protection key outside the event store) and the event keeps only the ciphertext.
/// </summary>
public sealed record LineCredentials(string Username, string ProtectedPassword);

/// <summary>Which caller ID the line presents and what prefix the carrier wants before the callee.</summary>
public sealed record CallerIdRules(CallerIdMode Mode, PhoneNumber? FixedNumber, string? DialPrefix)
{
    public static CallerIdRules FromTaskPool { get; } = new(CallerIdMode.TaskNumberPool, null, null);
}

/// <summary>Where the presented caller number comes from.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallerIdMode>))]
public enum CallerIdMode
{
    /// <summary>The task's caller-number pool picks one per call (nearest city, seed 002).</summary>
    TaskNumberPool = 1,

    /// <summary>The carrier only accepts one number on this line.</summary>
    Fixed,

    /// <summary>The tenant's default caller ID.</summary>
    TenantDefault,
}

/// <summary>Whether the gateway answers; unknown until the first ping or registration.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineHealth>))]
public enum LineHealth
{
    Unknown = 0,
    Up,
    Down,
}

/// <summary>What observed the line's health.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LineHealthSource>))]
public enum LineHealthSource
{
    OptionsPing = 1,
    Registration,
    Operator,
}
