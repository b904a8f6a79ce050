using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Aicc.Domain.Common;

/// <summary>
/// Ids computed from what they name (RFC 9562 §5.8 version 8, SHA-256 of a namespace string and
/// the parts), so every process that names the same thing gets the same id without asking anyone.
/// </summary>
public static class DerivedIds
{
    public static Guid From(string space, Guid a, Guid b, int n)
    {
        Span<byte> input = stackalloc byte[Encoding.UTF8.GetMaxByteCount(space.Length) + 36];
        var length = Encoding.UTF8.GetBytes(space, input);
        a.TryWriteBytes(input[length..], bigEndian: true, out _);
        b.TryWriteBytes(input[(length + 16)..], bigEndian: true, out _);
        BinaryPrimitives.WriteInt32BigEndian(input[(length + 32)..], n);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input[..(length + 36)], hash);
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
