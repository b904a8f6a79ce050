using System.Diagnostics;
using System.Globalization;
using System.Net;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.Lines;
using Aicc.Domain.Dialing;
using Aicc.Handlers.Commands;
using Aicc.Handlers.Dialing;
using DomainCallEvent = Aicc.Domain.Calls.CallEvent;

namespace Aicc.Handlers.Tests.Dialing;

/// <summary>The line's channel cap across tasks and dialer nodes: every call seizes on the line's stream before its INVITE.</summary>
public sealed partial class TaskDialerTests
{
    [Fact]
    public async Task GivenTwoTasksOnALineOfThreeChannels_WhenTwoDialerNodesRunThem_ThenNoMoreThanThreeCallsAreEverUpAndEveryChannelIsGivenBack()
    {
        const int Channels = 3;
        var work = Directory.CreateTempSubdirectory("aicc-linecap-sipp-").FullName;
        var trunk = await StartSippAsync(work, "-sf", Path.Combine(AppContext.BaseDirectory, "Dialing", "uas_hold_then_bye.xml"));
        var lineId = await CreateLineAsync(trunk, Channels);
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var customers = (await SealBatchAsync(first, 6)).Concat(await SealBatchAsync(second, 6)).ToList();
        // Each node would allow ten calls on its own: only the line's count keeps them at three.
        var dialers = new[] { first, second }
            .Select(task => new TaskDialer(_store, NewHub(), Options(task, trunk) with { LineId = lineId, LineChannels = 10, RobotSlots = 10 }))
            .ToList();
        var conflictsBefore = CommandRunner.AppendConflicts.Count;
        var clock = Stopwatch.StartNew();

        using var stop = new CancellationTokenSource();
        var runs = dialers.Select(d => d.RunAsync(stop.Token)).ToList();
        try
        {
            await WaitUntilAsync(
                async () => (await CallsAsync(first)).Concat(await CallsAsync(second)).Count(c => c[^1].Data is DomainCallEvent.HungUp) == customers.Count,
                TimeSpan.FromSeconds(60));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(runs);
        }

        var elapsed = clock.Elapsed;
        // Every call ended at the platform after sipp's BYE; its log may trail its sockets a little.
        var upAtOnce = MaxCallsUpAtOnce(work);
        for (var look = 0; look < 25 && upAtOnce.Byes < customers.Count; look++)
        {
            await Task.Delay(200);
            upAtOnce = MaxCallsUpAtOnce(work);
        }

        Assert.Equal((customers.Count, customers.Count), (upAtOnce.Calls, upAtOnce.Byes));
        Assert.InRange(upAtOnce.Max, 2, Channels);

        var (line, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId), CancellationToken.None);
        Assert.Empty(Assert.IsType<Line.Active>(line).ChannelsInUse);
        var events = (await _store.ReadStreamAsync(_tenant, Deciders.Line.StreamId(lineId))).Select(e => e.Data).ToList();
        var seized = events.OfType<LineEvent.ChannelSeized>().ToList();
        Assert.Equal(customers.Count, seized.Count);
        Assert.Equal(customers.Count, events.OfType<LineEvent.ChannelReleased>().Count());
        Assert.Equal(Channels, seized.Max(e => e.InUse));
        var conflicts = CommandRunner.AppendConflicts.Count - conflictsBefore;
        output.WriteLine(
            $"{customers.Count} calls on {Channels} channels by 2 dialers in {elapsed.TotalSeconds:F1} s; at most {upAtOnce.Max} up at once at the carrier; " +
            $"line stream: {events.Count - 1} appends, {conflicts} decided again after a concurrent append ({(double)conflicts / (events.Count - 1):P0})");
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task GivenChannelsHeldByCallsOfADeadDialer_WhenTheNextDialerStarts_ThenItsReconciliationGivesEveryChannelBack()
    {
        var lineId = await CreateLineAsync(_trunk, 2);
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 2);
        var line = Deciders.Line.StreamId(lineId);
        // The dead dialer's attempt, recorded with its channel before its INVITE left, never ended.
        var open = await AppendOpenAttemptAsync(taskId, customers[0], lineId);
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, line, new LineCommand.SeizeChannel(lineId, open, DateTimeOffset.UtcNow));
        // A call that ended without giving its channel back (a call back whose process died in between).
        var ended = await AppendOpenAttemptAsync(taskId, customers[1], lineId);
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, line, new LineCommand.SeizeChannel(lineId, ended, DateTimeOffset.UtcNow));
        await CommandRunner.RunAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(ended),
            new CallCommand.HangUp(ended, HangUpParty.Customer, CloseReason.Normal, DateTimeOffset.UtcNow));
        var (full, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, line, CancellationToken.None);
        Assert.Equal(2, ((Line.Active)full).ChannelsInUse.Count);

        var dialer = new TaskDialer(_store, NewHub(), Options(taskId) with { LineId = lineId });
        Assert.True(await dialer.TryLeadAsync(CancellationToken.None));
        try
        {
            Assert.Equal(1, await dialer.ReconcileAsync(CancellationToken.None));
        }
        finally
        {
            await dialer.ReleaseLeadershipAsync();
        }

        var (after, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, line, CancellationToken.None);
        Assert.Empty(((Line.Active)after).ChannelsInUse);
        var (orphan, _) = await CommandRunner.LoadAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(open), CancellationToken.None);
        Assert.IsType<Call.Ended>(orphan);
    }

    [Fact]
    public async Task GivenALineWhoseChannelsAreAllHeld_WhenTheDialerRuns_ThenNothingIsDialedNorRefusedUntilAChannelIsFreeAndThenOneCallTakesIt()
    {
        var lineId = await CreateLineAsync(_trunk, 1);
        var line = Deciders.Line.StreamId(lineId);
        var other = Guid.CreateVersion7();
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, line, new LineCommand.SeizeChannel(lineId, other, DateTimeOffset.UtcNow));
        var taskId = Guid.NewGuid();
        var customers = await SealBatchAsync(taskId, 2);
        var dialer = new TaskDialer(_store, NewHub(), Options(taskId) with { LineId = lineId, LineChannels = 10 });

        using var stop = new CancellationTokenSource();
        var run = dialer.RunAsync(stop.Token);
        try
        {
            await Task.Delay(1500);
            // A full line is "not now": no attempt, and no refusal on the customers' contact streams.
            Assert.Empty(await CallsAsync(taskId));
            Assert.Empty(await _store.ReadStreamAsync(_tenant, Deciders.DialingContact.StreamId(Domain.Dialing.Contacts.DialingContactDecider.ContactId(taskId, customers[0].CustomerId))));

            await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, line, new LineCommand.ReleaseChannel(lineId, other, DateTimeOffset.UtcNow));
            // sipp's callee stays on the line until we hang up: the one channel carries one call.
            await WaitUntilAsync(async () => (await CallsAsync(taskId)).Count(c => c.Any(e => e.Data is DomainCallEvent.Answered)) == 1);
            await Task.Delay(500);
            Assert.Single(await CallsAsync(taskId));
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }

        var (after, _) = await CommandRunner.LoadAsync(_store, Deciders.Line, _tenant, line, CancellationToken.None);
        Assert.Empty(((Line.Active)after).ChannelsInUse);
    }

    private async Task<Guid> CreateLineAsync(IPEndPoint trunk, int channels)
    {
        var lineId = Guid.NewGuid();
        await CommandRunner.RunAsync(_store, Deciders.Line, _tenant, Deciders.Line.StreamId(lineId),
            new LineCommand.Create(lineId, TenantId, $"sipp {channels}", new LineConfig(trunk.ToString(), LineTransport.Udp, null, CallerIdRules.FromTaskPool, channels), DateTimeOffset.UtcNow));
        return lineId;
    }

    /// <summary>
    /// How many calls were up at once at sipp, from its message log: a call is up from the INVITE
    /// it received to the BYE it sent (both inside the platform's hold of the channel).
    /// </summary>
    private static (int Calls, int Byes, int Max) MaxCallsUpAtOnce(string work)
    {
        // Per Call-ID the first INVITE received and the first BYE sent (retransmissions do not count twice).
        var invites = new Dictionary<string, DateTimeOffset>();
        var byes = new Dictionary<string, DateTimeOffset>();
        foreach (var log in Directory.GetFiles(work, "*_messages.log"))
        {
            DateTimeOffset stamp = default;
            var received = false;
            string? first = null;
            foreach (var line in File.ReadLines(log))
            {
                if (line.StartsWith("-----", StringComparison.Ordinal))
                {
                    // sipp may be writing this very header as we read: a partial one is skipped.
                    var parts = line.Trim('-', ' ').Split(' ');
                    if (parts.Length < 2 || !DateTimeOffset.TryParseExact($"{parts[0]} {parts[1]}", "yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out stamp))
                    {
                        continue;
                    }

                    first = null;
                }
                else if (line.Contains("message received", StringComparison.Ordinal) || line.Contains("message sent", StringComparison.Ordinal))
                {
                    received = line.Contains("received", StringComparison.Ordinal);
                }
                else if (first is null && line.Length > 0)
                {
                    first = line;
                }
                else if (first is not null && line.StartsWith("Call-ID:", StringComparison.OrdinalIgnoreCase))
                {
                    var callId = line["Call-ID:".Length..].Trim();
                    if (received && first.StartsWith("INVITE ", StringComparison.Ordinal))
                    {
                        invites.TryAdd(callId, stamp);
                    }
                    else if (!received && first.StartsWith("BYE ", StringComparison.Ordinal))
                    {
                        byes.TryAdd(callId, stamp);
                    }
                }
            }
        }

        var changes = invites.Select(i => (At: i.Value, Delta: 1)).Concat(byes.Select(b => (At: b.Value, Delta: -1)));
        var up = 0;
        var max = 0;
        // At one instant a BYE counts before an INVITE: the sweep never overstates.
        foreach (var change in changes.OrderBy(c => c.At).ThenBy(c => c.Delta))
        {
            up += change.Delta;
            max = Math.Max(max, up);
        }

        return (invites.Count, byes.Count, max);
    }
}
