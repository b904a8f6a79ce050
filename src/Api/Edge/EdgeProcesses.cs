using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Aicc.Api.Edge;

/// <summary>
/// The edge's two daemons as child processes: rtpengine first (kamailio gives up on a relay that
/// is not there when it starts), then kamailio with the generated configuration. A launcher prefix
/// (for example <c>ip netns exec NAME</c>) runs both somewhere else, as the browser tests do.
/// Disposing kills both, children included.
/// </summary>
public sealed class EdgeProcesses : IAsyncDisposable
{
    private const int OutputLinesKept = 400;
    private readonly List<Process> _processes = [];
    private readonly Queue<string> _output = new();
    private readonly TextWriter? _log;

    private EdgeProcesses(EdgeSettings settings, string folder, TextWriter? log)
    {
        Settings = settings;
        Folder = folder;
        _log = log;
    }

    public EdgeSettings Settings { get; }

    /// <summary>Where the generated kamailio.cfg and the daemons' runtime files live.</summary>
    public string Folder { get; }

    /// <summary>
    /// The daemons' latest output lines (kamailio logs every request, so only a tail is kept),
    /// prefixed by who said it: what a failure message needs.
    /// </summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    /// <summary>Writes kamailio.cfg and the rtpengine command line into <paramref name="folder"/>.</summary>
    public static string WriteConfiguration(EdgeSettings settings, string folder)
    {
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "kamailio.cfg");
        File.WriteAllText(config, KamailioConfiguration.Render(settings));
        File.WriteAllLines(Path.Combine(folder, "rtpengine.args"), Rtpengine.Arguments(settings));
        return config;
    }

    /// <param name="log">Where every output line also goes (a log file for long runs); it must be thread-safe.</param>
    public static async Task<EdgeProcesses> StartAsync(
        EdgeSettings settings, string folder, IReadOnlyList<string>? launcher = null, TimeSpan? timeout = null,
        TextWriter? log = null, CancellationToken cancellationToken = default)
    {
        var config = WriteConfiguration(settings, folder);
        var edge = new EdgeProcesses(settings, folder, log);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        try
        {
            var rtpengine = edge.Start("rtpengine", launcher, Rtpengine.Arguments(settings));
            while (!await Rtpengine.PingAsync(settings.RtpengineControl, TimeSpan.FromMilliseconds(200)))
            {
                edge.ThrowIfExited(rtpengine, "rtpengine", deadline, cancellationToken);
            }

            var kamailio = edge.Start("kamailio", launcher,
                ["-f", config, "-DD", "-E", "-m", "64", "-M", "8", "-Y", folder, "-P", Path.Combine(folder, "kamailio.pid")]);
            while (!await AnswersSipAsync(settings.SipEndPoint, TimeSpan.FromMilliseconds(200)))
            {
                edge.ThrowIfExited(kamailio, "kamailio", deadline, cancellationToken);
            }

            return edge;
        }
        catch
        {
            await edge.DisposeAsync();
            throw;
        }
    }

    private void ThrowIfExited(Process process, string name, DateTime deadline, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (process.HasExited)
        {
            throw new InvalidOperationException($"{name} exited with {process.ExitCode} while starting:\n{Output}");
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException($"{name} did not answer in time:\n{Output}");
        }
    }

    private Process Start(string name, IReadOnlyList<string>? launcher, IReadOnlyList<string> arguments)
    {
        var command = (launcher ?? []).Concat([name]).Concat(arguments).ToList();
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{command[0]} is not installed (scripts/lib.sh ensure_edge_packages installs the edge).", e);
        }

        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            var entry = $"{name}: {line}";
            lock (_output)
            {
                _output.Enqueue(entry);
                if (_output.Count > OutputLinesKept)
                {
                    _output.Dequeue();
                }
            }

            _log?.WriteLine(entry);
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>Waits until either daemon exits and returns its exit code (for <c>aicc edge run</c>, which lives as long as they do).</summary>
    public async Task<int> WaitForAnyExitAsync(CancellationToken cancellationToken)
    {
        var exits = _processes.Select(async p =>
        {
            await p.WaitForExitAsync(cancellationToken);
            return p.ExitCode;
        });
        return await await Task.WhenAny(exits);
    }

    /// <summary>Ready means answering: any response to an OPTIONS probe.</summary>
    private static async Task<bool> AnswersSipAsync(IPEndPoint edge, TimeSpan timeout)
    {
        using var socket = new Socket(edge.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(edge);
        var local = (IPEndPoint)socket.LocalEndPoint!;
        var tag = Guid.NewGuid().ToString("N")[..10];
        var probe = Encoding.ASCII.GetBytes(
            $"OPTIONS sip:probe@{edge} SIP/2.0\r\nVia: SIP/2.0/UDP {local};branch=z9hG4bK{tag}\r\nMax-Forwards: 70\r\n" +
            $"From: <sip:probe@{local}>;tag={tag}\r\nTo: <sip:probe@{edge}>\r\nCall-ID: {tag}@probe\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
        var buffer = new byte[4096];
        try
        {
            await socket.SendAsync(probe, SocketFlags.None);
            using var wait = new CancellationTokenSource(timeout);
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token);
            return received > 0 && Encoding.ASCII.GetString(buffer, 0, Math.Min(received, 8)) == "SIP/2.0 ";
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException)
        {
            // Not bound yet (ICMP port unreachable) or no answer yet.
            await Task.Delay(50);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Kamailio first: it must not send to a relay that is already gone.
        foreach (var process in Enumerable.Reverse(_processes))
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                // Already reaped, or stuck in the kernel: nothing more a kill can do.
            }

            process.Dispose();
        }

        _processes.Clear();
    }
}
