using System.Text;
using Aicc.Telephony.Tests.Sip.Rfc4475;
using FsCheck;
using FsCheck.Fluent;

namespace Aicc.Telephony.Tests.Sip.Fuzz;

/// <summary>How one torture message is damaged: which seed, which kind of damage, and where.</summary>
public sealed record SipMutation(int Seed, int Kind, int A, int B, int C)
{
    private static readonly byte[][] s_seeds = Rfc4475Case.All.Select(c => c.Bytes()).ToArray();
    private static readonly string[] s_junk = ["a", ",", ";", "\"", "<", ">", "%", " ", "\\", "=", ":", "@", "\t", "%00", "\u00e9"];

    public static Gen<SipMutation> Generator { get; } =
        from seed in Gen.Choose(0, s_seeds.Length - 1)
        from kind in Gen.Choose(0, 6)
        from a in Gen.Choose(0, int.MaxValue)
        from b in Gen.Choose(0, int.MaxValue)
        from c in Gen.Choose(0, int.MaxValue)
        select new SipMutation(seed, kind, a, b, c);

    public override string ToString() => $"{Rfc4475Case.All[Seed].Name} kind={Kind} a={A} b={B} c={C}";

    /// <summary>Applies the damage: bit flips, truncation, duplicated headers, huge values, splices, byte noise.</summary>
    public byte[] Apply()
    {
        var seed = s_seeds[Seed];
        switch (Kind)
        {
            case 0:
            {
                var bytes = (byte[])seed.Clone();
                var flips = 1 + (A % 20);
                var random = new Random(B);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                }

                return bytes;
            }

            case 1:
                return seed[..(A % seed.Length)];
            case 2:
            {
                var lines = Lines(seed);
                var index = 1 + (A % Math.Max(1, lines.Count - 1));
                var copies = 1 + (B % 60);
                lines.InsertRange(index, Enumerable.Repeat(lines[Math.Min(index, lines.Count - 1)], copies));
                return Join(lines, seed);
            }

            case 3:
            {
                var lines = Lines(seed);
                var index = 1 + (A % Math.Max(1, lines.Count - 1));
                var junk = s_junk[B % s_junk.Length];
                var length = 1 + (C % 60000);
                var value = new StringBuilder(length + 8);
                while (value.Length < length)
                {
                    value.Append(junk);
                }

                var line = lines[Math.Min(index, lines.Count - 1)];
                lines[Math.Min(index, lines.Count - 1)] = line + value;
                return Cap(Join(lines, seed));
            }

            case 4:
            {
                var other = s_seeds[A % s_seeds.Length];
                var cut = B % seed.Length;
                var from = C % other.Length;
                return [.. seed[..cut], .. other[from..]];
            }

            case 5:
            {
                var random = new Random(A);
                var bytes = seed.ToList();
                var edits = 1 + (B % 30);
                for (var i = 0; i < edits; i++)
                {
                    var at = random.Next(bytes.Count + 1);
                    if (random.Next(2) == 0 && at < bytes.Count)
                    {
                        bytes.RemoveAt(at);
                    }
                    else
                    {
                        bytes.Insert(at, (byte)random.Next(256));
                    }
                }

                return [.. bytes];
            }

            default:
            {
                // Numbers at their limits in the fields the parser converts.
                var text = Encoding.UTF8.GetString(seed);
                string[] huge = ["99999999999999999999", "-1", "2147483648", "0", "4294967296", "00000000000000000000000000001"];
                var number = huge[A % huge.Length];
                var field = (B % 4) switch
                {
                    0 => "CSeq: " + number + " INVITE",
                    1 => "Max-Forwards: " + number,
                    2 => "Content-Length: " + number,
                    _ => "Expires: " + number,
                };
                var at = text.IndexOf("\r\n", StringComparison.Ordinal);
                return Encoding.UTF8.GetBytes(at < 0 ? text : text.Insert(at + 2, field + "\r\n"));
            }
        }
    }

    private static List<string> Lines(byte[] seed) => Encoding.Latin1.GetString(HeaderPart(seed)).Split("\r\n").ToList();

    private static byte[] HeaderPart(byte[] seed)
    {
        var end = seed.AsSpan().IndexOf("\r\n\r\n"u8);
        return end < 0 ? seed : seed[..end];
    }

    private static byte[] Join(List<string> lines, byte[] seed)
    {
        var end = seed.AsSpan().IndexOf("\r\n\r\n"u8);
        var rest = end < 0 ? [] : seed[end..];
        return [.. Encoding.Latin1.GetBytes(string.Join("\r\n", lines)), .. rest];
    }

    /// <summary>Keeps a datagram within what UDP on loopback can carry.</summary>
    private static byte[] Cap(byte[] bytes) => bytes.Length > 65000 ? bytes[..65000] : bytes;
}
