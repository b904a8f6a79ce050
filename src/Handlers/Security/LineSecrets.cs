using Aicc.Domain.Lines;
using Aicc.EventStore;
using Aicc.Handlers.Commands;

namespace Aicc.Handlers.Security;

/// <summary>A trunk's username and password in the clear, for the digest answer to the carrier only.</summary>
public sealed record TrunkCredentials(string Username, string Password)
{
    public override string ToString() => $"TrunkCredentials {{ Username = {Username}, Password = *** }}";
}

/// <summary>
/// Trunk passwords as lines store them: sealed with the host's <see cref="SecretBox"/> before the
/// event is written, bound to the tenant and line, and opened only by the code that dials or
/// registers. The API never returns them.
/// </summary>
public sealed class LineSecrets(SecretBox box, PostgresEventStore store)
{
    public LineCredentials Protect(Guid tenantId, Guid lineId, string username, string password) =>
        new(username, box.Seal(password, Context(tenantId, lineId)));

    /// <exception cref="System.Security.Cryptography.CryptographicException">The value was sealed for another line or tenant, altered, or with a key the host no longer has.</exception>
    public string RevealPassword(Guid tenantId, Guid lineId, LineCredentials credentials) =>
        box.Open(credentials.ProtectedPassword, Context(tenantId, lineId));

    /// <summary>The credentials of an active line of the tenant; null when it has none or is not there.</summary>
    public async Task<TrunkCredentials?> LoadAsync(Guid tenantId, Guid lineId, CancellationToken cancellationToken = default)
    {
        var (state, _) = await CommandRunner.LoadAsync(store, Deciders.Line, Deciders.TenantKey(tenantId), Deciders.Line.StreamId(lineId), cancellationToken);
        return state is Line.Active { Config.Credentials: { } credentials }
            ? new TrunkCredentials(credentials.Username, RevealPassword(tenantId, lineId, credentials))
            : null;
    }

    private static string Context(Guid tenantId, Guid lineId) => $"aicc.line-password.v1/{tenantId}/{lineId}";
}
