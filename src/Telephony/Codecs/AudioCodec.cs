namespace Aicc.Telephony.Codecs;

/// <summary>
/// A narrowband audio codec negotiated in SDP and used by the media pipeline. Exists so the RTP
/// session and the pipeline stay codec-agnostic: they ask for the static payload type, the
/// rtpmap name and span-based encode/decode, nothing else.
/// </summary>
public abstract class AudioCodec
{
    private protected AudioCodec()
    {
    }

    /// <summary>The G.711 mu-law codec (RFC 3551 payload type 0).</summary>
    public static AudioCodec Pcmu { get; } = new MuLawCodec();

    /// <summary>The G.711 A-law codec (RFC 3551 payload type 8).</summary>
    public static AudioCodec Pcma { get; } = new ALawCodec();

    /// <summary>The static RTP payload type (RFC 3551 §6, Table 4).</summary>
    public abstract byte PayloadType { get; }

    /// <summary>The encoding name as written in an <c>a=rtpmap</c> line (case-insensitive on input).</summary>
    public abstract string Name { get; }

    /// <summary>The RTP clock rate in Hz; 8000 for G.711.</summary>
    public int ClockRate => 8000;

    /// <summary>Encodes PCM16 samples; returns the number of bytes written.</summary>
    public abstract int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>Decodes a payload into PCM16; returns the number of samples written.</summary>
    public abstract int Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>Finds a codec we implement by its rtpmap encoding name and clock rate.</summary>
    public static AudioCodec? FromName(string name, int clockRate)
    {
        if (clockRate != 8000)
        {
            return null;
        }
        if (string.Equals(name, "PCMU", StringComparison.OrdinalIgnoreCase))
        {
            return Pcmu;
        }
        if (string.Equals(name, "PCMA", StringComparison.OrdinalIgnoreCase))
        {
            return Pcma;
        }
        return null;
    }

    /// <summary>Finds a codec by its static payload type (used when an offer has no rtpmap, RFC 4566 §6).</summary>
    public static AudioCodec? FromStaticPayloadType(int payloadType) => payloadType switch
    {
        0 => Pcmu,
        8 => Pcma,
        _ => null,
    };

    public override string ToString() => Name;

    private sealed class MuLawCodec : AudioCodec
    {
        public override byte PayloadType => 0;

        public override string Name => "PCMU";

        public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
        {
            MuLaw.Encode(pcm, payload);
            return pcm.Length;
        }

        public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
        {
            MuLaw.Decode(payload, pcm);
            return payload.Length;
        }
    }

    private sealed class ALawCodec : AudioCodec
    {
        public override byte PayloadType => 8;

        public override string Name => "PCMA";

        public override int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
        {
            ALaw.Encode(pcm, payload);
            return pcm.Length;
        }

        public override int Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
        {
            ALaw.Decode(payload, pcm);
            return payload.Length;
        }
    }
}
