namespace Aicc.Telephony.Codecs;

/// <summary>
/// G.711 mu-law (ITU-T G.711 §2, the North American/Japanese companding law, RTP payload type 0
/// "PCMU" per RFC 3551 §4.5.14). Exists because trunks and softphones offer it first and it is
/// cheap enough to run a thousand calls on two cores: encoding and decoding are table look-ups
/// over spans, with no allocation per frame.
/// </summary>
/// <remarks>
/// G.711 mu-law works on 14-bit linear samples: a 16-bit sample is truncated to its top 14 bits
/// and negative values are coded in one's complement (as the ITU-T G.191 reference does), so the
/// encode table is indexed by <c>sample &gt;&gt; 2</c> and is exact.
/// </remarks>
public static class MuLaw
{
    private const int Bias = 33;
    private const int Clip = 0x1FFF;

    private static readonly byte[] EncodeTable = BuildEncodeTable();
    private static readonly short[] DecodeTable = BuildDecodeTable();

    /// <summary>Encodes one 16-bit linear sample.</summary>
    public static byte Encode(short sample) => EncodeTable[(sample >> 2) & 0x3FFF];

    /// <summary>Decodes one mu-law byte to a 16-bit linear sample.</summary>
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
            encoded[i] = table[(pcm[i] >> 2) & 0x3FFF];
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

    // G.711 §2: magnitude plus bias, eight segments each doubling the step; the code word is
    // sign, 3-bit segment and 4-bit step, all bits inverted for transmission.
    private static byte EncodeSlow(int linear14)
    {
        var negative = linear14 < 0;
        var magnitude = negative ? ~linear14 : linear14;
        var biased = Math.Min(magnitude + Bias, Clip);
        var segment = 0;
        for (var v = biased >> 6; v != 0; v >>= 1)
        {
            segment++;
        }
        var step = (biased >> (segment + 1)) & 0x0F;
        var code = (segment << 4) | step | (negative ? 0x80 : 0);
        return (byte)~code;
    }

    private static short DecodeSlow(byte code)
    {
        var inverted = ~code & 0xFF;
        var segment = (inverted >> 4) & 0x07;
        var step = inverted & 0x0F;
        var magnitude = (((step << 1) + Bias) << segment) - Bias;
        var linear16 = magnitude << 2;
        return (short)((inverted & 0x80) != 0 ? -linear16 : linear16);
    }

    private static byte[] BuildEncodeTable()
    {
        var table = new byte[1 << 14];
        for (var i = 0; i < table.Length; i++)
        {
            // Index i is the 14-bit two's-complement pattern; sign-extend it back.
            var linear14 = i >= 1 << 13 ? i - (1 << 14) : i;
            table[i] = EncodeSlow(linear14);
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
