using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Aicc.Api.Tests.Web.Softphone;

/// <summary>
/// A Linux network namespace of the test's own, joined to the test process's namespace by a veth
/// pair: <see cref="Outside"/> is this process's end (the platform under test listens there),
/// <see cref="Inside"/> the namespace's end (the edge and the browser live there). Chromium's ICE
/// gathers no candidates on loopback-only hosts, and a namespace gives it a real interface that
/// nothing else on the machine shares. Names carry the creating process's id, so a run that died
/// without cleaning up is swept by the next one.
/// </summary>
public sealed class NetworkNamespace : IAsyncDisposable
{
    private const string Prefix = "aicc-rtc-";

    private NetworkNamespace(string name, IPAddress outside, IPAddress inside)
    {
        Name = name;
        Outside = outside;
        Inside = inside;
    }

    public string Name { get; }

    public IPAddress Outside { get; }

    public IPAddress Inside { get; }

    /// <summary>Runs a command inside: prefix it with these.</summary>
    public IReadOnlyList<string> Launcher => ["ip", "netns", "exec", Name];

    public static async Task<NetworkNamespace> CreateAsync()
    {
        await SweepAbandonedAsync();
        var pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var serial = Random.Shared.Next(0, 1 << 20).ToString("x", CultureInfo.InvariantCulture);
        var name = $"{Prefix}{pid}-{serial}";
        var subnet = await FreeSubnetAsync();
        var outside = IPAddress.Parse($"10.99.{subnet}.1");
        var inside = IPAddress.Parse($"10.99.{subnet}.2");
        // Interface names are at most 15 characters.
        var hostEnd = $"ar{serial}h";
        var nsEnd = $"ar{serial}n";
        var created = new NetworkNamespace(name, outside, inside);
        try
        {
            await IpAsync("netns", "add", name);
            await IpAsync("link", "add", hostEnd, "type", "veth", "peer", "name", nsEnd);
            await IpAsync("link", "set", nsEnd, "netns", name);
            await IpAsync("addr", "add", $"{outside}/24", "dev", hostEnd);
            await IpAsync("link", "set", hostEnd, "up");
            await IpAsync("-n", name, "addr", "add", $"{inside}/24", "dev", nsEnd);
            await IpAsync("-n", name, "link", "set", nsEnd, "up");
            await IpAsync("-n", name, "link", "set", "lo", "up");
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deleting the namespace destroys its veth end, and with it the pair.</summary>
    public async ValueTask DisposeAsync() => await DeleteAsync(Name);

    private static async Task DeleteAsync(string name)
    {
        // Processes still inside keep it alive: kill whatever is left (ours, by construction).
        var (_, pids) = await RunAsync("ip", "netns", "pids", name);
        foreach (var line in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(line, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill(entireProcessTree: true);
                }
                catch (ArgumentException)
                {
                }
            }
        }

        await RunAsync("ip", "netns", "delete", name);
    }

    private static async Task SweepAbandonedAsync()
    {
        var (_, list) = await RunAsync("ip", "netns", "list");
        foreach (var line in list.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (!name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var owner = name[Prefix.Length..].Split('-')[0];
            if (int.TryParse(owner, CultureInfo.InvariantCulture, out var pid) && !Alive(pid))
            {
                await DeleteAsync(name);
            }
        }
    }

    private static bool Alive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A 10.99.N.0/24 that no interface of this namespace uses yet.</summary>
    private static async Task<int> FreeSubnetAsync()
    {
        var (_, addresses) = await RunAsync("ip", "-o", "-4", "addr", "show");
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var candidate = Random.Shared.Next(1, 255);
            if (!addresses.Contains($" 10.99.{candidate}.", StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No free 10.99.N.0/24 subnet for the test namespace.");
    }

    private static async Task IpAsync(params string[] arguments)
    {
        var (code, output) = await RunAsync("ip", arguments);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"ip {string.Join(' ', arguments)} failed ({code}): {output}. Network namespaces need root (the tests run as root here and in CI).");
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
