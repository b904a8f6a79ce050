using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Aicc.Handlers.Http;

/// <summary>Deterministic ids from idempotency keys, so a retried create lands on the same stream.</summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    /// <summary>
    /// A stable UUID (RFC 9562 version 8, SHA-256 based) for (tenant, purpose, key); without a
    /// key, a fresh time-ordered version 7 id.
    /// </summary>
    public static Guid DeriveId(string tenant, string purpose, string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return Guid.CreateVersion7();
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{tenant}\n{purpose}\n{key}"));
        Span<byte> bytes = stackalloc byte[16];
        hash.AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The request's Idempotency-Key header, if any.</summary>
    public static string? IdempotencyKey(this HttpContext context) =>
        context.Request.Headers.TryGetValue(Header, out var value) && value.Count > 0 ? value.ToString() : null;
}
