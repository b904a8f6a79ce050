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
    public const string PcapFolder = "/usr/share/sip-tester";

    public sealed record Run(int ExitCode, string Output, string WorkDirectory);

    public static async Task<Run> RunAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = Start(arguments);
        return await process.WaitAsync(timeout);
    }

    public static SippProcess Start(IEnumerable<string> arguments)
    {
        var work = Directory.CreateTempSubdirectory("aicc-sipp-").FullName;
        // Scenarios name their RTP as pcap/...: sipp's own captures, shipped by sip-tester.
        if (Directory.Exists(PcapFolder))
        {
            Directory.CreateSymbolicLink(Path.Combine(work, "pcap"), PcapFolder);
        }

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

        try
        {
            return new SippProcess(Process.Start(start)!, work);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("sipp is not installed: run ./test (scripts/test-deps.sh installs sip-tester)", e);
        }
    }

    /// <summary>A running sipp; disposing kills it if it is still running.</summary>
    public sealed class SippProcess : IDisposable
    {
        private readonly Process _process;
        private readonly string _work;
        private readonly Task<string> _stdout;
        private readonly Task<string> _stderr;

        internal SippProcess(Process process, string work)
        {
            _process = process;
            _work = work;
            _stdout = process.StandardOutput.ReadToEndAsync();
            _stderr = process.StandardError.ReadToEndAsync();
        }

        public async Task<Run> WaitAsync(TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            var errors = string.Join("\n", Directory.GetFiles(_work, "*errors.log").Select(File.ReadAllText));
            return new Run(_process.ExitCode, await _stdout + await _stderr + errors, _work);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
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
