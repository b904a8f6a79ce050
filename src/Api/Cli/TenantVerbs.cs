using System.CommandLine;
using System.Text.Json;
using Aicc.Api.Hosting;
using Aicc.Handlers.Tenants.CreatingTenant;
using Aicc.Handlers.Tenants.SuspendingTenant;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc tenant create NAME</c>, <c>suspend TENANT</c>, <c>activate TENANT</c>: the platform operator's
/// way to add an enterprise and to stop or restart one (tenants cannot do either themselves).
/// </summary>
public static class TenantVerbs
{
    public static Command Build()
    {
        var tenant = new Command("tenant", "Manage tenants (enterprises).");
        var connection = CliOptions.Connection();
        var name = new Argument<string>("name") { Description = "The tenant's display name" };
        var adminLogin = new Option<string>("--admin-login")
        {
            Description = "Login of the tenant's first admin",
            DefaultValueFactory = _ => "admin",
        };
        var adminPassword = new Option<string?>("--admin-password") { Description = "Password of the first admin (default: generated)" };
        var create = new Command("create", "Create a tenant with an admin and an API key; the last line printed is JSON.")
        {
            name, adminLogin, adminPassword, connection,
        };
        create.SetAction(async (parse, ct) =>
        {
            var tenantName = parse.GetValue(name)?.Trim();
            if (string.IsNullOrEmpty(tenantName))
            {
                throw new CliException("The tenant needs a name.");
            }

            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            var store = Platform.CreateEventStore(dataSource);
            var created = await CreateTenant.HandleAsync(store, tenantName, parse.GetValue(adminLogin) ?? "admin", parse.GetValue(adminPassword), TimeProvider.System, ct);
            Console.WriteLine($"Tenant {tenantName} created: {created.TenantId}");
            Console.WriteLine($"Admin login: {created.AdminLogin}  password: {created.AdminPassword}");
            Console.WriteLine($"API key (shown once): {created.ApiKey}");
            Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string>
            {
                ["tenant"] = created.TenantId.ToString(),
                ["api_key"] = created.ApiKey,
                ["admin_login"] = created.AdminLogin,
                ["admin_password"] = created.AdminPassword,
                ["admin_id"] = created.AdminId.ToString(),
            }));
            return 0;
        });
        tenant.Add(create);
        tenant.Add(BuildStateChange("suspend", "Suspend a tenant: its credentials are refused (403 tenant_suspended), its data is kept."));
        tenant.Add(BuildStateChange("activate", "Let a suspended tenant's credentials work again."));
        return tenant;
    }

    private static Command BuildStateChange(string verb, string description)
    {
        var connection = CliOptions.Connection();
        var id = new Argument<string>("tenant") { Description = "The tenant's id" };
        var reason = new Option<string>("--reason")
        {
            Description = "Why (recorded on the tenant's stream)",
            DefaultValueFactory = _ => "suspended by the platform operator",
        };
        var command = new Command(verb, description) { id, connection };
        if (verb == "suspend")
        {
            command.Add(reason);
        }

        command.SetAction(async (parse, ct) =>
        {
            if (!Guid.TryParse(parse.GetValue(id), out var tenantId))
            {
                throw new CliException($"'{parse.GetValue(id)}' is not a tenant id (a UUID, as `tenant create` printed it).");
            }

            await using var dataSource = Database.Open(CliOptions.ResolveConnection(parse.GetValue(connection)));
            await Database.MigrateAsync(dataSource, ct);
            var store = Platform.CreateEventStore(dataSource);
            try
            {
                var view = verb == "suspend"
                    ? await SuspendTenant.SuspendAsync(store, tenantId, parse.GetValue(reason) ?? string.Empty, TimeProvider.System, ct)
                    : await SuspendTenant.ActivateAsync(store, tenantId, TimeProvider.System, ct);
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?>
                {
                    ["tenant"] = view.Id.ToString(),
                    ["name"] = view.Name,
                    ["state"] = view.State,
                    ["reason"] = view.SuspendedReason,
                }));
            }
            catch (Aicc.Domain.DomainException e)
            {
                throw new CliException($"{e.Code}: {e.Message}");
            }

            return 0;
        });
        return command;
    }
}
