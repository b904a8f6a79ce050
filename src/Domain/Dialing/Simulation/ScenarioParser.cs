using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Aicc.Domain.Dialing.Simulation;

/// <summary>A scenario that cannot be simulated; the message names the field.</summary>
public sealed class ScenarioException(string message) : Exception(message);

/// <summary>
/// Reads the scenario JSON of <c>aicc dialer simulate</c>. Missing fields take
/// <see cref="SimulationScenario.Default"/>; a wrong value fails with the field's name; fields we do
/// not know and values we adjust (a timeout under the legal 15 s) come back as warnings.
/// Schedules (<c>agents</c>, <c>answer_rate</c>) are a number or [minute, value] pairs in time
/// order; before the first pair nobody is logged in and the first answer rate holds.
/// </summary>
public static class ScenarioParser
{
    private static readonly HashSet<string> KnownFields =
    [
        "agents", "minutes", "answer_rate", "ring_s", "no_answer_timeout_s", "talk_s", "wrap_s",
        "abandon_cap", "algorithm", "ratio", "seed",
    ];

    public static (SimulationScenario Scenario, IReadOnlyList<string> Warnings) Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new ScenarioException($"scenario is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ScenarioException("scenario must be a JSON object");
            }

            var warnings = new List<string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    warnings.Add($"unknown scenario field '{property.Name}' ignored");
                }
            }

            var d = SimulationScenario.Default;
            var minutes = Optional(root, "minutes", e => Number(e, "minutes", min: 0, exclusiveMin: true, max: 60 * 24 * 31), d.Minutes);
            var agents = Optional(root, "agents", e => Schedule(e, "agents", 0, 100_000, integer: true), d.Agents);
            var answerRate = Optional(root, "answer_rate", e => Schedule(e, "answer_rate", 0, 1, integer: false), d.AnswerRate);
            var ring = Optional(root, "ring_s", e => Duration(e, "ring_s", DurationKind.Lognormal), d.Ring);
            var timeout = Optional(root, "no_answer_timeout_s", e => Number(e, "no_answer_timeout_s", min: 0, exclusiveMin: true), d.NoAnswerTimeoutSeconds);
            if (timeout < DialingRules.MinimumRingSeconds)
            {
                warnings.Add($"no_answer_timeout_s {timeout.ToString(CultureInfo.InvariantCulture)} raised to the legal minimum of {DialingRules.MinimumRingSeconds} s");
                timeout = DialingRules.NoAnswerTimeout(timeout);
            }

            var talk = Optional(root, "talk_s", e => Duration(e, "talk_s", DurationKind.Exponential), d.Talk);
            var wrap = Optional(root, "wrap_s", e => Duration(e, "wrap_s", DurationKind.Constant, allowZero: true), d.Wrap);
            var cap = Optional(root, "abandon_cap", e => Number(e, "abandon_cap", min: 0, exclusiveMin: true, max: 1), d.AbandonCap);
            var algorithm = Optional(root, "algorithm", Algorithm, d.Algorithm);
            var ratio = Optional(root, "ratio", e => Number(e, "ratio", min: 0, exclusiveMin: true, max: 100), d.Ratio);
            var seed = Optional(root, "seed", Seed, d.Seed);
            return (new SimulationScenario(agents, minutes, answerRate, ring, timeout, talk, wrap, cap, algorithm, ratio, seed), warnings);
        }
    }

    private static T Optional<T>(JsonElement root, string name, Func<JsonElement, T> read, T fallback) =>
        root.TryGetProperty(name, out var element) && element.ValueKind != JsonValueKind.Null ? read(element) : fallback;

    private static double Number(JsonElement e, string field, double min = double.NegativeInfinity, bool exclusiveMin = false, double max = double.PositiveInfinity)
    {
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetDouble(out var value) || !double.IsFinite(value))
        {
            throw new ScenarioException($"scenario field '{field}' must be a number");
        }

        if (value < min || (exclusiveMin && value == min) || value > max)
        {
            var low = exclusiveMin ? $"> {Text(min)}" : $">= {Text(min)}";
            var high = double.IsPositiveInfinity(max) ? string.Empty : $" and <= {Text(max)}";
            throw new ScenarioException($"scenario field '{field}' must be {low}{high} (got {Text(value)})");
        }

        return value;
    }

    private static ImmutableArray<ScheduleStep> Schedule(JsonElement e, string field, double min, double max, bool integer)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            return [new ScheduleStep(0, Value(e, field))];
        }

        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
        {
            throw new ScenarioException($"scenario field '{field}' must be a number or a non-empty list of [minute, value] pairs");
        }

        var steps = new List<ScheduleStep>();
        var index = 0;
        foreach (var item in e.EnumerateArray())
        {
            var at = $"{field}[{index}]";
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2)
            {
                throw new ScenarioException($"scenario field '{at}' must be a [minute, value] pair");
            }

            var minute = Number(item[0], $"{at}[0] (minute)", min: 0);
            if (steps.Count > 0 && minute < steps[^1].Minute)
            {
                throw new ScenarioException($"scenario field '{at}' must not go back in time (minute {Text(minute)} after {Text(steps[^1].Minute)})");
            }

            steps.Add(new ScheduleStep(minute, Value(item[1], $"{at}[1]")));
            index++;
        }

        return [.. steps];

        double Value(JsonElement v, string name)
        {
            var value = Number(v, name, min, max: max);
            if (integer && value != Math.Floor(value))
            {
                throw new ScenarioException($"scenario field '{name}' must be a whole number (got {Text(value)})");
            }

            return value;
        }
    }

    private static DurationDistribution Duration(JsonElement e, string field, DurationKind plainKind, bool allowZero = false)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            var mean = Number(e, field, min: 0, exclusiveMin: !allowZero);
            return new DurationDistribution(plainKind == DurationKind.Lognormal ? DurationKind.Constant : plainKind, mean, 0);
        }

        if (e.ValueKind != JsonValueKind.Object)
        {
            throw new ScenarioException($"scenario field '{field}' must be a number of seconds or an object {{\"mean\":..,\"sd\":..}}");
        }

        if (!e.TryGetProperty("mean", out var meanElement))
        {
            throw new ScenarioException($"scenario field '{field}.mean' is missing");
        }

        var meanValue = Number(meanElement, $"{field}.mean", min: 0, exclusiveMin: !allowZero);
        var sd = e.TryGetProperty("sd", out var sdElement) ? Number(sdElement, $"{field}.sd", min: 0) : 0;
        var kind = sd > 0 ? DurationKind.Lognormal : DurationKind.Constant;
        if (e.TryGetProperty("dist", out var dist))
        {
            kind = dist.ValueKind == JsonValueKind.String ? dist.GetString() switch
            {
                "exponential" => DurationKind.Exponential,
                "lognormal" => DurationKind.Lognormal,
                "constant" => DurationKind.Constant,
                var other => throw new ScenarioException($"scenario field '{field}.dist' must be \"exponential\", \"lognormal\" or \"constant\" (got \"{other}\")"),
            } : throw new ScenarioException($"scenario field '{field}.dist' must be a string");
        }

        if (kind == DurationKind.Lognormal && (meanValue == 0 || sd == 0))
        {
            kind = DurationKind.Constant;
        }

        return new DurationDistribution(kind, meanValue, sd);
    }

    private static PacingMode Algorithm(JsonElement e) =>
        (e.ValueKind == JsonValueKind.String ? e.GetString() : null) switch
        {
            "progressive" => PacingMode.Progressive,
            "power" => PacingMode.Power,
            "predictive" => PacingMode.Predictive,
            _ => throw new ScenarioException($"scenario field 'algorithm' must be \"progressive\", \"power\" or \"predictive\" (got {e.GetRawText()})"),
        };

    private static ulong Seed(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Number)
        {
            if (e.TryGetUInt64(out var unsigned))
            {
                return unsigned;
            }

            if (e.TryGetInt64(out var signed))
            {
                return unchecked((ulong)signed);
            }
        }

        throw new ScenarioException($"scenario field 'seed' must be a whole number (got {e.GetRawText()})");
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
