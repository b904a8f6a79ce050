namespace Aicc.Telephony.Codecs;

/// <summary>
/// G.711 A-law (ITU-T G.711 §3, the European companding law, RTP payload type 8 "PCMA" per
/// RFC 3551 §4.5.14). Exists because European trunks answer with it; table-driven over spans
/// like <see cref="MuLaw"/>.
/// </summary>
/// <remarks>
/// A-law works on 13-bit linear samples (sign plus 12-bit magnitude); negative values are coded
/// in one's complement as in the ITU-T G.191 reference, so the encode table is indexed by
/// <c>sample &gt;&gt; 4</c>, and even bits are inverted (XOR 0x55) for transmission.
/// </remarks>
public static class ALaw
{
    private static readonly byte[] EncodeTable = BuildEncodeTable();
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one 16-bit linear sample.</summary>
    public static byte Encode(short sample) => EncodeTable[(sample >> 4) & 0x0FFF];

    /// <summary>Decodes one A-law byte to a 16-bit linear sample.</summary>
    public static short Decode(byte code) => DecodeTable[code];

    /// <summary>Encodes <paramref name="pcm"/> into <paramref name="encoded"/> (one byte per sample).</summary>
    public static void Encode(ReadOnlySpan<short> pcm, Span<byte> encoded)
    {
        if (encoded.Length < pcm.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(encoded));
        }
        var table = EncodeTable;
        for (var i = 0; i < pcm.Length; i++)
        {
            encoded[i] = table[(pcm[i] >> 4) & 0x0FFF];
        }
    }

    /// <summary>Decodes <paramref name="encoded"/> into <paramref name="pcm"/> (one sample per byte).</summary>
    public static void Decode(ReadOnlySpan<byte> encoded, Span<short> pcm)
    {
        if (pcm.Length < encoded.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(pcm));
        }
        var table = DecodeTable;
        for (var i = 0; i < encoded.Length; i++)
        {
            pcm[i] = table[encoded[i]];
        }
    }

    // G.711 §3: segment 0 and 1 share the finest step; each further segment doubles it.
    private static byte EncodeSlow(int linear12WithSign)
    {
        var negative = linear12WithSign < 0;
        var magnitude = negative ? ~linear12WithSign : linear12WithSign;
        int code;
        if (magnitude <= 15)
        {
            code = magnitude;
        }
        else
        {
            var segment = 1;
            while (magnitude > 31)
            {
                magnitude >>= 1;
                segment++;
            }
            code = (segment << 4) | (magnitude - 16);
        }
        if (!negative)
        {
            code |= 0x80;
        }
        return (byte)(code ^ 0x55);
    }

    private static short DecodeSlow(byte code)
    {
        var plain = code ^ 0x55;
        var segment = (plain >> 4) & 0x07;
        var step = plain & 0x0F;
        if (segment > 0)
        {
            step += 16;
        }
        var magnitude = (step << 4) + 8;
        if (segment > 1)
        {
            magnitude <<= segment - 1;
        }
        return (short)((plain & 0x80) != 0 ? magnitude : -magnitude);
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[1 << 12];
        for (var i = 0; i < table.Length; i++)
        {
            var linear12 = i >= 1 << 11 ? i - (1 << 12) : i;
            table[i] = EncodeSlow(linear12);
        }
        return table;
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            table[i] = DecodeSlow((byte)i);
        }
        return table;
    }
}
