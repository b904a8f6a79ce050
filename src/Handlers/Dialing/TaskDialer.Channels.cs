using Aicc.Domain;
using Aicc.Domain.Calls;
using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Aicc.Handlers.Dialing;

public sealed partial class TaskDialer
{
    /// <summary>
    /// The line as this dialer last saw it. Every task (and every dialer node) on the line seizes
    /// and releases on the same stream, so it grows by two events per call: this copy is folded
    /// on from its version, never read from the start again. Only committed results are kept.
    /// </summary>
    private (Line State, long Version) _line = (Line.Initial, 0);

    private string LineStream => Deciders.Line.StreamId(_options.LineId);

    /// <summary>Channels the line has free now, across every task on it; none on a line that is down or not active.</summary>
    private async Task<int> FreeLineChannelsAsync(CancellationToken cancellationToken)
    {
        _line = await CommandRunner.CatchUpAsync(_store, Deciders.Line, _tenant, LineStream, _line.State, _line.Version, null, cancellationToken);
        return _line.State is Line.Active { Health: not LineHealth.Down } active
            ? Math.Max(0, active.Config.MaxChannels - active.ChannelsInUse.Count)
            : 0;
    }

    /// <summary>
    /// Takes the line's channel for <paramref name="callId"/> in the attempt's transaction; null
    /// when the line refuses (at its cap, down, retired): not now, the attempt waits for a channel.
    /// </summary>
    private async Task<CommandResult<Line, LineEvent>?> SeizeChannelAsync(EventStoreSession session, Guid callId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            return await CommandRunner.RunFromAsync(session, _store, Deciders.Line, _tenant, LineStream, _line.State, _line.Version,
                new LineCommand.SeizeChannel(_options.LineId, callId, now), cancellationToken: cancellationToken);
        }
        catch (DomainException e)
        {
            // A full line is the normal "not now"; a line that went down or away is worth a look.
            _logger.Log(e.Code == "line.at_capacity" ? LogLevel.Debug : LogLevel.Warning,
                "Line {Line} gave no channel to call {CallId}: {Code}", _options.LineId, callId, e.Code);
            return null;
        }
    }

    /// <summary>Gives the call's channel back in the caller's transaction; nothing when the call held none.</summary>
    private Task<CommandResult<Line, LineEvent>> ReleaseChannelAsync(EventStoreSession session, Guid callId, DateTimeOffset now, CancellationToken cancellationToken) =>
        CommandRunner.RunFromAsync(session, _store, Deciders.Line, _tenant, LineStream, _line.State, _line.Version,
            new LineCommand.ReleaseChannel(_options.LineId, callId, now), cancellationToken: cancellationToken);

    /// <summary>
    /// Releases the channels the line still lists for calls that have ended, whoever placed them
    /// (a call-back whose process died between its hang-up and its release): an ended call needs
    /// no channel, so this is safe to run beside live dialers of other tasks.
    /// </summary>
    private async Task<int> ReleaseEndedCallsChannelsAsync(CancellationToken cancellationToken)
    {
        await FreeLineChannelsAsync(cancellationToken);
        if (_line.State is not Line.Active active)
        {
            return 0;
        }

        var released = 0;
        foreach (var callId in active.ChannelsInUse)
        {
            var (call, _) = await CommandRunner.LoadAsync(_store, Deciders.Call, _tenant, Deciders.Call.StreamId(callId), cancellationToken);
            if (call is not Call.Ended)
            {
                continue;
            }

            try
            {
                await using var transaction = await _leadership!.BeginTransactionAsync(cancellationToken);
                var result = await ReleaseChannelAsync(_store.OpenSession(_leadership, transaction), callId, _time.GetUtcNow(), cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                _line = (result.State, result.Version);
                released += result.Events.Count;
            }
            catch (NpgsqlException e)
            {
                throw await LostLeadershipAsync(e);
            }
        }

        return released;
    }
}
