using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;

namespace Aicc.Handlers.Lines;

/// <summary>
/// Writes an operator's change of a line's settings under its If-Match. Every call seizes and
/// releases on the line's stream (ADR 0019), so on a busy line the version moves many times a
/// second and a strict If-Match could never win. What the ETag guards here is the settings the
/// operator read: stale only if they changed since (created, reconfigured, retired).
/// </summary>
public static class LineSettingsWrite
{
    /// <summary>
    /// Decides <paramref name="command"/> on the line; null when the line does not exist. Throws
    /// <see cref="WrongExpectedVersionException"/> when <paramref name="ifMatch"/> is stale.
    /// </summary>
    public static async Task<CommandResult<Line, LineEvent>?> RunAsync(
        PostgresEventStore store, string tenant, Guid lineId, long? ifMatch, LineCommand command, EventMetadata metadata, CancellationToken cancellationToken)
    {
        var streamId = Deciders.Line.StreamId(lineId);
        for (var attempt = 1; ; attempt++)
        {
            var (line, version, settingsVersion) = await LoadAsync(store, tenant, streamId, cancellationToken);
            if (line is Line.None)
            {
                return null;
            }

            if (ifMatch is { } pinned && (pinned > version || settingsVersion > pinned))
            {
                throw new WrongExpectedVersionException(tenant, streamId, ExpectedVersion.Exact(pinned), version);
            }

            try
            {
                return await CommandRunner.RunOnAsync(store, Deciders.Line, tenant, streamId, line, version, command, metadata, cancellationToken);
            }
            catch (WrongExpectedVersionException) when (attempt < 20)
            {
                // A call took or gave back a channel meanwhile: check and decide again on the fresh state.
            }
        }
    }

    private static async Task<(Line Line, long Version, long SettingsVersion)> LoadAsync(
        PostgresEventStore store, string tenant, string streamId, CancellationToken cancellationToken)
    {
        var line = Deciders.Line.Initial;
        long version = 0;
        long settingsVersion = 0;
        foreach (var e in await store.ReadStreamAsync(tenant, streamId, 1, cancellationToken))
        {
            if (e.Data is LineEvent lineEvent)
            {
                line = Deciders.Line.Evolve(line, lineEvent);
                settingsVersion = lineEvent is LineEvent.Created or LineEvent.Reconfigured or LineEvent.Retired ? e.Version : settingsVersion;
            }

            version = e.Version;
        }

        return (line, version, settingsVersion);
    }
}
