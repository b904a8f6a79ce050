using System.Globalization;
using System.Text.Json;

namespace Aicc.Api.Bench;

/// <summary>The one output format of every benchmark: a JSON object per metric on its own line.</summary>
public static class BenchOutput
{
    public static void Metric(string suite, string metric, double value, string unit)
    {
        var rounded = Math.Round(value, value >= 100 ? 0 : 2);
        Console.WriteLine(JsonSerializer.Serialize(new { suite, metric, value = rounded, unit }));
        Console.Out.Flush();
    }

    /// <summary>The same line with the value as given (the caller rounded it: ratios keep four places).</summary>
    public static void MetricAsIs(string suite, string metric, double value, string unit)
    {
        Console.WriteLine(JsonSerializer.Serialize(new { suite, metric, value, unit }));
        Console.Out.Flush();
    }

    /// <summary>Nearest-rank percentile of values sorted ascending; 0 when there are none.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string Format(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
