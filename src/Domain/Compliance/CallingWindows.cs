using System.Collections.Immutable;

namespace Aicc.Domain.Compliance;

/// <summary>A time of day range on given weekdays, in the callee's local time.</summary>
public sealed record CallingWindow(ImmutableArray<DayOfWeek> Days, TimeOnly From, TimeOnly To)
{
    public bool Contains(DateTime local) => Days.Contains(local.DayOfWeek) && TimeOnly.FromDateTime(local) >= From && TimeOnly.FromDateTime(local) < To;
}

/// <summary>
/// When a callee may be called: windows are in the callee's local time (a Shanghai task must not
/// wake Urumqi users, a New York campaign must respect California mornings), the time zone coming
/// from the callee number's region. The zone is resolved by the caller and passed in.
/// </summary>
public static class CallingWindows
{
    /// <summary>Weekdays 9:00-12:00 and 14:00-18:00, the seed's busy hours.</summary>
    public static ImmutableArray<CallingWindow> OfficeHours { get; } =
    [
        new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(9, 0), new TimeOnly(12, 0)),
        new([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday], new TimeOnly(14, 0), new TimeOnly(18, 0)),
    ];

    /// <summary>True when some window contains the instant in the callee's zone (no windows: always open).</summary>
    public static bool IsOpen(ImmutableArray<CallingWindow> windows, TimeZoneInfo calleeZone, DateTimeOffset at)
    {
        if (windows.IsDefaultOrEmpty)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(at, calleeZone).DateTime;
        return windows.Any(w => w.Contains(local));
    }

    /// <summary>The first instant at or after <paramref name="from"/> inside a window, or null if none within two weeks.</summary>
    public static DateTimeOffset? NextOpening(ImmutableArray<CallingWindow> windows, TimeZoneInfo calleeZone, DateTimeOffset from)
    {
        if (IsOpen(windows, calleeZone, from))
        {
            return from;
        }

        var localStart = TimeZoneInfo.ConvertTime(from, calleeZone).DateTime;
        DateTimeOffset? best = null;
        for (var day = 0; day <= 14 && best is null; day++)
        {
            var date = DateOnly.FromDateTime(localStart).AddDays(day);
            foreach (var window in windows.Where(w => w.Days.Contains(date.DayOfWeek)))
            {
                var local = date.ToDateTime(window.From);
                if (calleeZone.IsInvalidTime(local))
                {
                    local = local.AddHours(1);
                }

                var instant = new DateTimeOffset(local, calleeZone.GetUtcOffset(local));
                if (instant > from && (best is null || instant < best))
                {
                    best = instant;
                }
            }
        }

        return best;
    }
}
