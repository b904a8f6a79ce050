using System.Text.Json.Serialization;

namespace Aicc.Domain.Calls;

/// <summary>How a supervisor takes part in a call they monitor (ADR 0018).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MonitorMode>))]
public enum MonitorMode
{
    /// <summary>Silent monitor: hears customer and agent; nobody hears the supervisor.</summary>
    Listen = 1,

    /// <summary>Coaching: only the agent hears the supervisor.</summary>
    Whisper,

    /// <summary>Three-way: customer and agent both hear the supervisor.</summary>
    Barge,
}

/// <summary>The supervisor (an employee) on the call's audio now, in which mode, since when.</summary>
public sealed record CallMonitor(Guid SupervisorId, MonitorMode Mode, DateTimeOffset Since);
