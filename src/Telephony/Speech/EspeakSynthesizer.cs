using System.Diagnostics;
using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Speech;

/// <summary>
/// Mandarin (and any other espeak-ng voice) through the espeak-ng command. espeak-ng is GPL-3,
/// so it runs as a separate process and is never linked into ours. The pinyin voice
/// (cmn-latn-pinyin) is the default for Mandarin because the plain cmn/zh voices mispronounce
/// most characters (../shared/recipes, speech).
/// </summary>
public sealed class EspeakSynthesizer(string executable = "espeak-ng") : ISpeechSynthesizer
{
    /// <summary>The Mandarin voice the recipes found intelligible.</summary>
    public const string MandarinVoice = "cmn-latn-pinyin";

    private static readonly HashSet<string> KnownVoices = new(StringComparer.OrdinalIgnoreCase)
    {
        MandarinVoice, "cmn", "yue", "en", "en-us",
    };

    /// <summary>True when the espeak-ng command is on the PATH.</summary>
    public static bool IsAvailable => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, "espeak-ng")));

    /// <inheritdoc />
    public bool Supports(string voice) => KnownVoices.Contains(voice);

    /// <inheritdoc />
    public async ValueTask<PcmAudio> SynthesizeAsync(string text, string voice, CancellationToken cancel = default)
    {
        if (!Supports(voice))
        {
            throw new UnknownVoiceException(voice);
        }
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Text on stdin, never on the command line: it is caller-controlled and may start with '-'.
        foreach (var arg in new[] { "-v", voice, "--stdout", "-b", "1" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("espeak-ng did not start");
        await using (var stdin = process.StandardInput)
        {
            await stdin.WriteAsync(text.AsMemory(), cancel).ConfigureAwait(false);
        }
        using var wav = new MemoryStream();
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        await process.StandardOutput.BaseStream.CopyToAsync(wav, cancel).ConfigureAwait(false);
        await process.WaitForExitAsync(cancel).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"espeak-ng failed ({process.ExitCode}): {await stderr.ConfigureAwait(false)}");
        }
        wav.Position = 0;
        return WavFile.Read(wav, Codecs.FrameFormat.SampleRate);
    }
}
