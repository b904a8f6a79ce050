using System.Globalization;

namespace Aicc.Domain.Dialing.Simulation;

/// <summary>
/// The figures of one simulated run, as <c>aicc dialer simulate</c> prints them.
/// Occupancy = agents' talk + wrap-up time / logged-in time; abandon rate = abandoned /
/// live-answered; average wait = agents' idle time per wait, a wait being the time an agent
/// spends ready until the next connected call (or the end of the run), the figure predictive
/// dialing exists to shrink.
/// </summary>
public sealed record SimulationResult(
    double Occupancy,
    double AbandonRate,
    long CallsPlaced,
    long Answered,
    long Abandoned,
    double AverageWaitSeconds,
    string Algorithm)
{
    /// <summary>The one-line JSON object of the CLI.</summary>
    public string ToJson() => string.Create(
        CultureInfo.InvariantCulture,
        $"{{\"occupancy\":{Math.Round(Occupancy, 6)},\"abandon_rate\":{Math.Round(AbandonRate, 6)},\"calls_placed\":{CallsPlaced},\"answered\":{Answered},\"abandoned\":{Abandoned},\"avg_wait_s\":{Math.Round(AverageWaitSeconds, 3)},\"algorithm\":\"{Algorithm}\"}}");
}
