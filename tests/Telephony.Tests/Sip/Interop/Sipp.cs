using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Aicc.Telephony.Tests.Sip.Interop;

/// <summary>
/// Runs the real sipp (Debian sip-tester, installed by scripts/test-deps.sh) as the peer.
/// Exit code 0 means every call of the scenario succeeded.
/// </summary>
public static class Sipp
{
    public sealed record Run(int ExitCode, string Output, string WorkDirectory);

    public static async Task<Run> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var work = Directory.CreateTempSubdirectory("aicc-sipp-").FullName;
        var start = new ProcessStartInfo("sipp")
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("sipp is not installed: run ./test (scripts/test-deps.sh installs sip-tester)", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var errors = string.Join("\n", Directory.GetFiles(work, "*errors.log").Select(File.ReadAllText));
            return new Run(process.ExitCode, await stdout + await stderr + errors, work);
        }
    }

    /// <summary>A UDP port free right now on loopback, for sipp's own signalling and media sockets.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
