using Aicc.Telephony.Audio;

namespace Aicc.Telephony.Tests.CallControl;

/// <summary>
/// Frequency checks on recorded call audio that tolerate a glitch: the audio is cut into 100 ms
/// windows, silent ones are skipped, and the share of voiced windows whose dominant frequency is
/// the expected one is reported. A starved test machine can drop or conceal a frame; one bad
/// window must not hide that the right tone crossed.
/// </summary>
public static class ToneAnalysis
{
    public static (double Share, int Voiced, string Seen) DominantShare(string wavPath, double frequencyHz, double toleranceHz = 15)
    {
        var samples = WavFile.Read(wavPath).Samples;
        var dominants = new List<double>();
        for (var offset = 0; offset + 800 <= samples.Length; offset += 800)
        {
            var window = samples.AsSpan(offset, 800);
            double energy = 0;
            foreach (var s in window)
            {
                energy += (double)s * s;
            }

            if (Math.Sqrt(energy / window.Length) > 1000)
            {
                dominants.Add(Goertzel.DominantFrequency(window));
            }
        }

        var share = dominants.Count == 0 ? 0 : dominants.Count(d => Math.Abs(d - frequencyHz) <= toleranceHz) / (double)dominants.Count;
        return (share, dominants.Count, string.Join(",", dominants.Select(d => d.ToString("0", System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>Asserts that at least 0.5 s of voiced audio was recorded and that 80% of it is the expected tone.</summary>
    public static void AssertTone(string wavPath, double frequencyHz)
    {
        var (share, voiced, seen) = DominantShare(wavPath, frequencyHz);
        Assert.True(voiced >= 5, $"{wavPath}: only {voiced} voiced 100 ms windows");
        Assert.True(share >= 0.8, $"{wavPath}: {share:P0} of {voiced} windows at {frequencyHz} Hz; dominants {seen}");
    }
}
