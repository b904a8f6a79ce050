using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>
/// The failure-feedback pool (seed 003): unreachable numbers and line faults counted per line and
/// per reason, so operators see which trunk or which kind of failure to chase.
/// </summary>
public sealed record FailureFeedback(ImmutableDictionary<string, ImmutableDictionary<string, int>> ByLine)
{
    public static FailureFeedback Empty { get; } = new(ImmutableDictionary<string, ImmutableDictionary<string, int>>.Empty);

    /// <summary>Counts one failure on the line.</summary>
    public FailureFeedback Record(string lineId, string reason)
    {
        var reasons = ByLine.GetValueOrDefault(lineId, ImmutableDictionary<string, int>.Empty);
        return new FailureFeedback(ByLine.SetItem(lineId, reasons.SetItem(reason, reasons.GetValueOrDefault(reason) + 1)));
    }

    /// <summary>The most frequent (line, reason) pairs first.</summary>
    public IReadOnlyList<(string Line, string Reason, int Count)> Worst(int count) =>
        [.. ByLine.SelectMany(l => l.Value.Select(r => (Line: l.Key, Reason: r.Key, Count: r.Value)))
            .OrderByDescending(x => x.Count)
            .ThenBy(x => x.Line, StringComparer.Ordinal)
            .ThenBy(x => x.Reason, StringComparer.Ordinal)
            .Take(count)];
}
