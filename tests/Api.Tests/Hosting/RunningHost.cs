using Aicc.Api.Hosting;
using Aicc.EventStore;
using Aicc.Handlers.Tenants.CreatingTenant;
using Aicc.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Aicc.Api.Tests.Hosting;

/// <summary>The real host on a free loopback port, over a fresh database of its own.</summary>
public sealed class RunningHost : IAsyncLifetime
{
    private readonly PostgresDatabase _database = new();
    private WebApplication? _app;

    public HttpClient Client { get; private set; } = new();

    public PostgresDatabase Database => _database;

    /// <summary>This host's trunk-password key file, generated on start as ./run generates its own.</summary>
    public string SecretKeyFile { get; } = Path.Combine(Path.GetTempPath(), $"aicc-test-{Guid.NewGuid():N}", "secret.key");

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("Host not started.");

    /// <summary>A new tenant with its admin, the way <c>aicc tenant create</c> makes one.</summary>
    public Task<CreateTenant.Created> CreateTenantAsync(string name, string? password = null) =>
        CreateTenant.HandleAsync(Services.GetRequiredService<PostgresEventStore>(), name, "admin", password, TimeProvider.System, CancellationToken.None);

    /// <summary>A client that authenticates with an API key.</summary>
    public HttpClient ClientWithKey(string apiKey)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _app = await HostApp.BuildAsync(_database.ConnectionString, "http://127.0.0.1:0", CancellationToken.None, secretKeyFile: SecretKeyFile);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        await _database.DisposeAsync();
        if (Directory.Exists(Path.GetDirectoryName(SecretKeyFile)))
        {
            Directory.Delete(Path.GetDirectoryName(SecretKeyFile)!, recursive: true);
        }
    }
}
