using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>
/// The TTS port: one piece of text (a sentence or clause, already cut by the caller) in one
/// voice becomes PCM16 8 kHz mono. It takes plain strings because Telephony references no
/// project of ours; streaming by sentence is <see cref="SentenceStreamer"/>'s job, so an engine
/// only ever synthesises short pieces and a better engine can replace it without touching
/// the dialog code.
/// </summary>
public interface ISpeechSynthesizer
{
    /// <summary>True when this engine can speak <paramref name="voice"/>.</summary>
    bool Supports(string voice);

    /// <summary>Synthesises <paramref name="text"/> as 8 kHz PCM16 mono.</summary>
    ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default);
}

/// <summary>A voice no configured engine speaks (a robot setting that names a missing voice).</summary>
public sealed class UnknownVoiceException(string voice) : Exception($"no speech engine speaks voice '{voice}'")
{
    /// <summary>The voice that was asked for.</summary>
    public string Voice { get; } = voice;
}

/// <summary>
/// Sends each voice to the engine that speaks it: a robot's voice (seed 002's 音色) is a
/// per-robot setting, and English and Mandarin voices come from different engines.
/// </summary>
public sealed class VoiceRouter(IReadOnlyList<ISpeechSynthesizer> engines) : ISpeechSynthesizer
{
    /// <inheritdoc />
    public bool Supports(string voice) => engines.Any(e => e.Supports(voice));

    /// <inheritdoc />
    public ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
    {
        foreach (var engine in engines)
        {
            if (engine.Supports(voice))
            {
                return engine.SynthesizeAsync(text, voice, cancel);
            }
        }
        throw new UnknownVoiceException(voice);
    }
}
