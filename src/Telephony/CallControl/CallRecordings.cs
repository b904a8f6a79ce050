using Aicc.Telephony.Audio;
using Aicc.Telephony.Media;

namespace Aicc.Telephony.CallControl;

/// <summary>A recording of one leg: what its party said.</summary>
internal sealed class SingleLegRecording(LegRecording recording) : ICallRecording
{
    public string Path => recording.Path;

    public async Task<RecordingResult> StopAsync()
    {
        await recording.StopAsync().ConfigureAwait(false);
        return new RecordingResult(Path, TimeSpan.FromSeconds(recording.SamplesWritten / (double)Codecs.FrameFormat.SampleRate));
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}

/// <summary>
/// A recording of both parties of a bridge in one WAV. Each leg records its party to its own
/// file (the media engine's per-leg recorder, off the clock thread); both legs tick on the same
/// media clock from the same start, so their frames line up, and stopping mixes them sample by
/// sample (saturating) into the target file.
/// </summary>
internal sealed class BridgeRecording : ICallRecording
{
    private readonly LegRecording _a;
    private readonly LegRecording _b;
    private RecordingResult? _result;

    private BridgeRecording(LegRecording a, LegRecording b, string path)
    {
        _a = a;
        _b = b;
        Path = path;
    }

    public string Path { get; }

    public static BridgeRecording Start(MediaLeg a, MediaLeg b, string path) =>
        new(a.StartRecording(path + ".a.wav"), b.StartRecording(path + ".b.wav"), path);

    public async Task<RecordingResult> StopAsync()
    {
        if (_result is not null)
        {
            return _result;
        }

        await _a.StopAsync().ConfigureAwait(false);
        await _b.StopAsync().ConfigureAwait(false);
        var a = WavFile.Read(_a.Path).Samples;
        var b = WavFile.Read(_b.Path).Samples;
        var mixed = new short[Math.Max(a.Length, b.Length)];
        for (var i = 0; i < mixed.Length; i++)
        {
            var sum = (i < a.Length ? a[i] : 0) + (i < b.Length ? b[i] : 0);
            mixed[i] = (short)Math.Clamp(sum, short.MinValue, short.MaxValue);
        }

        WavFile.Write(Path, mixed);
        File.Delete(_a.Path);
        File.Delete(_b.Path);
        _result = new RecordingResult(Path, TimeSpan.FromSeconds(mixed.Length / (double)Codecs.FrameFormat.SampleRate));
        return _result;
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
