using System.Collections.Concurrent;
using Aicc.Domain.Calls;
using Aicc.Domain.Tenants;
using Aicc.EventStore;
using Aicc.Handlers.Commands;
using Aicc.Telephony.CallControl;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aicc.Handlers.Recording;

/// <summary>
/// Records bridged calls of tenants whose "record calls" setting is on: starts the media
/// engine's bridge recording into the <see cref="RecordingsFolder"/> and appends StartRecording;
/// stopping writes the mixed WAV and appends StopRecording with its location. A recording that
/// cannot start or stop is logged and never ends or blocks the call it belongs to.
/// </summary>
public sealed class CallRecorder(PostgresEventStore store, RecordingsFolder folder, TimeProvider time, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;
    private readonly ConcurrentDictionary<Guid, Running> _running = new();

    public RecordingsFolder Folder => folder;

    /// <summary>Starts recording the bridge <paramref name="leg"/> is in, if the tenant records calls and the call is not already being recorded here.</summary>
    public async Task StartAsync(ICallControl control, Guid tenantId, Guid callId, CallLegId leg, CancellationToken cancellationToken)
    {
        var tenant = Deciders.TenantKey(tenantId);
        try
        {
            var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Tenant, tenant, Deciders.Tenant.StreamId(tenantId), cancellationToken);
            var settings = state switch
            {
                Tenant.Active a => a.Settings,
                Tenant.Suspended s => s.Settings,
                _ => null,
            };
            if (settings is not { RecordCalls: true } || _running.ContainsKey(callId))
            {
                return;
            }

            var recordingId = Guid.NewGuid();
            var location = RecordingsFolder.LocationOf(tenantId, callId, recordingId);
            var path = folder.PathOf(location)!;
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var recording = await control.RecordBridgeAsync(leg, path);
            _running[callId] = new Running(tenantId, recordingId, location, recording);
            await CommandRunner.RunAsync(
                store, Deciders.Call, tenant, Deciders.Call.StreamId(callId), new CallCommand.StartRecording(callId, recordingId, time.GetUtcNow()),
                metadata: new EventMetadata(CorrelationId: callId.ToString(), User: "recorder"), cancellationToken: cancellationToken);
            _logger.LogInformation("Recording call {Call} to {Location}", callId, location);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Call {Call} could not be recorded: {Error}", callId, e.Message);
            await StopAsync(callId, CancellationToken.None);
        }
    }

    /// <summary>Stops the call's recording (if this process runs one) and records where the WAV is.</summary>
    public async Task StopAsync(Guid callId, CancellationToken cancellationToken)
    {
        if (!_running.TryRemove(callId, out var running))
        {
            return;
        }

        try
        {
            await running.Recording.StopAsync();
            await CommandRunner.RunAsync(
                store, Deciders.Call, Deciders.TenantKey(running.TenantId), Deciders.Call.StreamId(callId),
                new CallCommand.StopRecording(callId, running.RecordingId, running.Location, time.GetUtcNow()),
                metadata: new EventMetadata(CorrelationId: callId.ToString(), User: "recorder"), cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A recording whose start was never appended has nothing to stop in the stream; its file stays for an operator.
            _logger.LogWarning("Recording of call {Call} could not be finished: {Error}", callId, e.Message);
        }
    }

    private sealed record Running(Guid TenantId, Guid RecordingId, string Location, ICallRecording Recording);
}
