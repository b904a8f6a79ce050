using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Sip.Authentication;

/// <summary>
/// What a credential store keeps for one user of one realm (a tenant's SIP domain): the HA1 of
/// each algorithm, never the password, so a leaked table does not give the passwords away.
/// </summary>
public sealed record SipStoredCredential(string User, string Realm, string Ha1Md5, string Ha1Sha256)
{
    public static SipStoredCredential FromPassword(string user, string realm, string password) =>
        new(user, realm, Digest.Ha1(DigestAlgorithm.Md5, user, realm, password), Digest.Ha1(DigestAlgorithm.Sha256, user, realm, password));

    public string Ha1(DigestAlgorithm algorithm) => algorithm == DigestAlgorithm.Sha256 ? Ha1Sha256 : Ha1Md5;
}

/// <summary>Where the registrar finds agents' credentials (per tenant realm); the platform backs it with its own store.</summary>
public interface ISipCredentialStore
{
    ValueTask<SipStoredCredential?> FindAsync(string realm, string user, CancellationToken cancellationToken = default);
}

/// <summary>A credential store held in memory: for configuration files and tests of the registrar.</summary>
public sealed class InMemorySipCredentialStore : ISipCredentialStore
{
    private readonly ConcurrentDictionary<(string Realm, string User), SipStoredCredential> _credentials = new();

    public void Add(SipStoredCredential credential) => _credentials[(credential.Realm.ToLowerInvariant(), credential.User)] = credential;

    public ValueTask<SipStoredCredential?> FindAsync(string realm, string user, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_credentials.GetValueOrDefault((realm.ToLowerInvariant(), user)));
}

/// <summary>The outcome of checking a request's credentials.</summary>
public abstract record DigestVerdict
{
    private DigestVerdict()
    {
    }

    /// <summary>The request carries valid credentials of <paramref name="User"/>.</summary>
    public sealed record Authenticated(string User, string Realm) : DigestVerdict;

    /// <summary>Answer with this (401 with fresh challenges, or 403).</summary>
    public sealed record Refused(SipResponse Response) : DigestVerdict;
}

/// <summary>
/// The server side of Digest (RFC 3261 §22.1/§22.4, RFC 7616, RFC 8760): challenges with one
/// WWW-Authenticate per algorithm (preferred first) and checks the answer against the stored
/// HA1. Nonces are stateless: issue time plus an HMAC over it and the realm with a per-process
/// key, so any copy of this object can verify them and an expired one is answered stale=true
/// (§22.1: the client retries without asking the user).
/// </summary>
public sealed class DigestAuthenticator(ISipCredentialStore store, TimeProvider time, IReadOnlyList<DigestAlgorithm>? algorithms = null)
{
    public static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);

    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// The challenges offered, in order (RFC 8760: preferred first). MD5 alone by default,
    /// because real phones break on more: sipp 3.6 reads only the first challenge and gives up
    /// on SHA-256, and baresip 1.0 (libre) fails the whole REGISTER ("Function not implemented")
    /// when any challenge is SHA-256. A tenant whose phones support it opts in to
    /// [Sha256, Md5] (ADR 0007).
    /// </summary>
    public IReadOnlyList<DigestAlgorithm> Algorithms { get; } = algorithms ?? [DigestAlgorithm.Md5];

    /// <summary>The realm of a request: the host of its To URI, i.e. the tenant's SIP domain.</summary>
    public static string RealmOf(SipRequest request) => request.To?.Uri is SipUri uri ? uri.Host.ToLowerInvariant() : "aicc";

    public async ValueTask<DigestVerdict> CheckAsync(SipRequest request, string toTag, CancellationToken cancellationToken = default)
    {
        var realm = RealmOf(request);
        var credentials = request.GetHeaders(SipHeaderNames.Authorization)
            .Select(DigestHeader.TryParse)
            .FirstOrDefault(h => h is not null && string.Equals(h["realm"], realm, StringComparison.OrdinalIgnoreCase));
        if (credentials is null)
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        var algorithm = Digest.Parse(credentials["algorithm"]);
        if (algorithm is null || !Algorithms.Contains(algorithm.Value) || credentials["username"] is not { } user || credentials["nonce"] is not { } nonce
            || credentials["uri"] is not { } uri || credentials["response"] is not { } response)
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        var nonceState = CheckNonce(nonce, realm);
        if (nonceState == NonceState.Forged)
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        var stored = await store.FindAsync(realm, user, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        var qop = credentials["qop"];
        if (qop is not null && !qop.Equals("auth", StringComparison.OrdinalIgnoreCase))
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        var expected = Digest.Response(algorithm.Value, stored.Ha1(algorithm.Value), nonce, request.Method, uri, qop, credentials["nc"], credentials["cnonce"]);
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return Challenge(request, toTag, realm, stale: false);
        }

        if (nonceState == NonceState.Expired)
        {
            return Challenge(request, toTag, realm, stale: true);
        }

        return new DigestVerdict.Authenticated(user, realm);
    }

    private DigestVerdict Challenge(SipRequest request, string toTag, string realm, bool stale)
    {
        var nonce = NewNonce(realm);
        var headers = Algorithms.Select(a =>
        {
            var parameters = new List<(string, string)> { ("realm", realm), ("nonce", nonce), ("algorithm", Digest.Name(a)), ("qop", "auth") };
            if (stale)
            {
                parameters.Add(("stale", "true"));
            }

            return new SipHeader(SipHeaderNames.WwwAuthenticate, DigestHeader.Format(parameters, "algorithm", "stale"));
        }).ToList();
        return new DigestVerdict.Refused(SipResponse.For(request, SipStatus.Unauthorized, toTag: toTag, extraHeaders: headers));
    }

    private string NewNonce(string realm)
    {
        Span<byte> buffer = stackalloc byte[8 + 16];
        BinaryPrimitives.WriteInt64BigEndian(buffer, time.GetUtcNow().ToUnixTimeMilliseconds());
        Mac(buffer[..8], realm).AsSpan(0, 16).CopyTo(buffer[8..]);
        return Convert.ToBase64String(buffer).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private NonceState CheckNonce(string nonce, string realm)
    {
        var text = nonce.Replace('-', '+').Replace('_', '/');
        text = text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '=');
        Span<byte> buffer = stackalloc byte[32];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written != 24)
        {
            return NonceState.Forged;
        }

        if (!CryptographicOperations.FixedTimeEquals(buffer[8..24], Mac(buffer[..8], realm).AsSpan(0, 16)))
        {
            return NonceState.Forged;
        }

        var issued = DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(buffer));
        return time.GetUtcNow() - issued > NonceLifetime ? NonceState.Expired : NonceState.Fresh;
    }

    private byte[] Mac(ReadOnlySpan<byte> issued, string realm)
    {
        byte[] message = [.. issued, .. Encoding.UTF8.GetBytes(realm)];
        return HMACSHA256.HashData(_key, message);
    }

    private enum NonceState
    {
        Fresh,
        Expired,
        Forged,
    }
}
