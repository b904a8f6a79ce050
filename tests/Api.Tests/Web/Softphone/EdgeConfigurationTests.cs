using System.Diagnostics;
using System.Net;
using Aicc.Api.Edge;

namespace Aicc.Api.Tests.Web.Softphone;

/// <summary>
/// The generated kamailio.cfg for settings the other tests do not start (no trusted peer, several,
/// IPv6 media): kamailio itself checks it (<c>kamailio -c</c>), so a template change that only
/// breaks one variant fails here rather than on somebody's ./run.
/// </summary>
public sealed class EdgeConfigurationTests
{
    public static TheoryData<string, string[]> Variants() => new()
    {
        { "127.0.0.1", [] },
        { "127.0.0.1", ["127.0.0.1", "10.1.2.3", "192.0.2.7"] },
        { "::1", ["::1"] },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task GivenEdgeSettings_WhenKamailioChecksTheGeneratedConfiguration_ThenItIsAccepted(string address, string[] trusted)
    {
        var folder = Directory.CreateTempSubdirectory("aicc-edge-config-").FullName;
        try
        {
            var settings = new EdgeSettings
            {
                SipAddress = IPAddress.Parse(address),
                MediaAddress = IPAddress.Parse(address),
                DatabaseUrl = EdgeSettings.KamailioDatabaseUrl("Host=127.0.0.1;Port=5432;Username=kamailio;Password=p@ss:word;Database=aicc"),
                TrustedPeers = trusted.Select(IPAddress.Parse).ToList(),
            };
            var config = EdgeProcesses.WriteConfiguration(settings, folder);
            var check = new ProcessStartInfo("kamailio") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-c", "-f", config })
            {
                check.ArgumentList.Add(argument);
            }

            using var process = Process.Start(check)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kamailio -c refused the configuration ({process.ExitCode}):\n{await errors}{await output}");
            Assert.Contains("postgres://kamailio:p%40ss%3Aword@127.0.0.1:5432/aicc", await File.ReadAllTextAsync(config));
            Assert.Contains($"--interface={address}", await File.ReadAllLinesAsync(Path.Combine(folder, "rtpengine.args")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
