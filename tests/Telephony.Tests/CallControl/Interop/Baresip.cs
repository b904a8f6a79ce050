using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Aicc.Telephony.Tests.Sip.Interop;

namespace Aicc.Telephony.Tests.CallControl.Interop;

/// <summary>
/// A real baresip (Debian baresip-core) as the far phone: headless, auto-answering, sending a WAV
/// (aufile) and recording what it receives (sndfile writes *-dec.wav), driven over ctrl_tcp
/// (netstring-framed JSON commands, events on the same connection). Configuration is generated
/// into a temp folder with free ports; disposing kills the process.
/// </summary>
public sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TcpClient _control;
    private readonly Channel<JsonElement> _events = Channel.CreateBounded<JsonElement>(256);
    private readonly Dictionary<string, TaskCompletionSource<JsonElement>> _pending = [];
    private readonly Task _reader;
    private int _token;

    private readonly StringBuilder _output;

    private Baresip(Process process, TcpClient control, string folder, int sipPort, StringBuilder output)
    {
        _output = output;
        _process = process;
        _control = control;
        Folder = folder;
        SipPort = sipPort;
        _reader = Task.Run(ReadAsync);
    }

    public string Folder { get; }

    /// <summary>What baresip printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int SipPort { get; }

    public string Aor => $"sip:b@127.0.0.1:{SipPort}";

    /// <summary>Events baresip reported (CALL_ESTABLISHED, CALL_CLOSED ...), as parsed JSON.</summary>
    public ChannelReader<JsonElement> Events => _events.Reader;

    /// <summary>Starts baresip; <paramref name="account"/> (given its own SIP port) replaces the default auto-answering, unregistered account.</summary>
    public static async Task<Baresip> StartAsync(string wavToSend, Func<int, string>? account = null)
    {
        // Ports are picked free but taken only when baresip binds them, and RTP ranges are drawn
        // at random: with several test classes starting phones at once a bind can lose the race,
        // and baresip exits. A fresh set of ports is then the fix, not a failed test.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(wavToSend, account);
            }
            catch (BaresipExitedException) when (attempt < 3)
            {
            }
        }
    }

    private sealed class BaresipExitedException(string output) : InvalidOperationException($"baresip exited at start:\n{output}");

    private static async Task<Baresip> StartOnceAsync(string wavToSend, Func<int, string>? account)
    {
        var folder = Directory.CreateTempSubdirectory("aicc-baresip-").FullName;
        var sipPort = Sipp.FreeUdpPort();
        var controlPort = FreeTcpPort();
        // RTP ports above our own allocator's range (20000-59999), so the two never compete.
        var rtpBase = 60000 + (Random.Shared.Next(0, 50) * 100);
        Directory.CreateDirectory(Path.Combine(folder, "rec"));
        File.WriteAllText(Path.Combine(folder, "config"), string.Join('\n',
        [
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{sipPort}",
            "net_interface 127.0.0.1",
            "dns_server 127.0.0.1:53",
            "call_max_calls 4",
            "audio_player aubridge,b",
            $"audio_source aufile,{wavToSend}",
            "audio_alert aubridge,b",
            "ausrc_srate 8000",
            "auplay_srate 8000",
            $"rtp_ports {rtpBase}-{rtpBase + 99}",
            $"snd_path {Path.Combine(folder, "rec")}",
            $"ctrl_tcp_listen 127.0.0.1:{controlPort}",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_tmp account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            string.Empty,
        ]));
        File.WriteAllText(Path.Combine(folder, "accounts"), (account?.Invoke(sipPort) ?? $"<sip:b@127.0.0.1:{sipPort}>;regint=0;answermode=auto;audio_codecs=pcmu") + "\n");
        var start = new ProcessStartInfo("baresip")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-f");
        start.ArgumentList.Add(folder);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("baresip is not installed: run ./test (scripts/test-deps.sh installs baresip-core)", e);
        }

        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => 
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) => 
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, controlPort);
                return new Baresip(process, client, folder, sipPort, output);
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                client.Dispose();
                await Task.Delay(100);
            }
            catch (SocketException) when (process.HasExited)
            {
                client.Dispose();
                string text;
                lock (output)
                {
                    text = output.ToString();
                }

                throw new BaresipExitedException(text);
            }
            catch
            {
                client.Dispose();
                process.Kill(entireProcessTree: true);
                throw;
            }
        }
    }

    /// <summary>Runs a ctrl_tcp command ("dial", "hangup", "sndcode", ...) and returns its response.</summary>
    public async Task<JsonElement> CommandAsync(string command, string parameters = "")
    {
        var token = Interlocked.Increment(ref _token).ToString(CultureInfo.InvariantCulture);
        var response = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pending)
        {
            _pending[token] = response;
        }

        var json = JsonSerializer.Serialize(new { command, @params = parameters, token });
        var bytes = Encoding.UTF8.GetBytes($"{Encoding.UTF8.GetByteCount(json)}:{json},");
        await _control.GetStream().WriteAsync(bytes);
        return await response.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    /// <summary>Waits for an event of the given type (CALL_ESTABLISHED, CALL_INCOMING ...).</summary>
    public async Task<JsonElement> NextEventAsync(string type, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var seen = new List<string>();
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                var kind = e.TryGetProperty("type", out var t) ? t.GetString() : null;
                if (kind == type)
                {
                    return e;
                }

                seen.Add(kind ?? "?");
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"baresip sent no {type}; saw {string.Join(", ", seen)}");
        }
    }

    /// <summary>What baresip decoded from us (its sndfile *-dec.wav of the latest call).</summary>
    public string? DecodedRecording() =>
        Directory.GetFiles(Path.Combine(Folder, "rec"), "*-dec.wav").OrderBy(f => f, StringComparer.Ordinal).LastOrDefault();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _control.Dispose();
        await _reader;
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static int FreeTcpPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private async Task ReadAsync()
    {
        var buffer = new List<byte>();
        var chunk = new byte[4096];
        try
        {
            var stream = _control.GetStream();
            while (true)
            {
                var read = await stream.ReadAsync(chunk);
                if (read == 0)
                {
                    return;
                }

                buffer.AddRange(chunk.AsSpan(0, read));
                while (TryTakeNetstring(buffer, out var payload))
                {
                    Dispatch(JsonDocument.Parse(payload).RootElement.Clone());
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    private void Dispatch(JsonElement message)
    {
        if (message.TryGetProperty("response", out _) && message.TryGetProperty("token", out var token))
        {
            TaskCompletionSource<JsonElement>? pending;
            lock (_pending)
            {
                _pending.Remove(token.GetString() ?? string.Empty, out pending);
            }

            pending?.TrySetResult(message);
        }
        else
        {
            _events.Writer.TryWrite(message);
        }
    }

    private static bool TryTakeNetstring(List<byte> buffer, out byte[] payload)
    {
        payload = [];
        var colon = buffer.IndexOf((byte)':');
        if (colon <= 0 || !int.TryParse(Encoding.ASCII.GetString(buffer.GetRange(0, colon).ToArray()), out var length) || buffer.Count < colon + 1 + length + 1)
        {
            return false;
        }

        payload = buffer.GetRange(colon + 1, length).ToArray();
        buffer.RemoveRange(0, colon + 1 + length + 1);
        return true;
    }
}
