using System.Text.Json;
using Aicc.EventStore;
using Aicc.Handlers.Tenants.SeedingDemo;

namespace Aicc.Api.Hosting;

/// <summary>
/// ./run's demo tenant: seeded on first start, its one-time secrets kept in a local file
/// (under the ignored .data folder) so every later start can print them again.
/// </summary>
public static class DemoSeeding
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task SeedAndPrintAsync(PostgresEventStore store, string credentialsFile, string baseUrl, CancellationToken cancellationToken)
    {
        var seeded = await SeedDemo.HandleAsync(store, TimeProvider.System, cancellationToken);
        if (seeded is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(credentialsFile))!);
            await File.WriteAllTextAsync(credentialsFile, JsonSerializer.Serialize(seeded, FileJson), cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(credentialsFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        else if (File.Exists(credentialsFile))
        {
            seeded = JsonSerializer.Deserialize<SeedDemo.Seeded>(await File.ReadAllTextAsync(cancellationToken: cancellationToken, path: credentialsFile), FileJson);
        }

        if (seeded is null)
        {
            Console.WriteLine($"Demo tenant {SeedDemo.DemoTenantId} exists; its credentials file {credentialsFile} is gone (secrets are shown only once).");
            return;
        }

        Console.WriteLine();
        Console.WriteLine($"Demo tenant {seeded.TenantId}");
        Console.WriteLine($"  API key (X-Api-Key): {seeded.ApiKey}");
        foreach (var account in seeded.Accounts)
        {
            Console.WriteLine($"  {account.Role,-10} login {account.Login,-10} password {account.Password}");
        }

        Console.WriteLine($"  try: curl -H 'X-Api-Key: {seeded.ApiKey}' {baseUrl}/api/v1/tasks");
        Console.WriteLine($"  call the demo robot: sip:{SeedDemo.DemoRobotNumber}@<media address>:<sip port> (serve --sip-port, default 5080)");
        Console.WriteLine();
    }
}
