using Aicc.Telephony.Codecs;

namespace Aicc.Telephony.Tests.Codecs;

public sealed class G711Tests
{
    [Theory]
    [InlineData((short)0, (byte)0xFF)]
    [InlineData((short)-1, (byte)0x7F)]
    [InlineData((short)32767, (byte)0x80)]
    [InlineData((short)-32768, (byte)0x00)]
    [InlineData((short)8, (byte)0xFE)]
    [InlineData((short)-8, (byte)0x7E)]
    public void MuLaw_EncodesKnownValues(short sample, byte expected)
    {
        Assert.Equal(expected, MuLaw.Encode(sample));
    }

    [Theory]
    [InlineData((byte)0xFF, (short)0)]
    [InlineData((byte)0x7F, (short)0)]
    [InlineData((byte)0x80, (short)32124)]
    [InlineData((byte)0x00, (short)-32124)]
    [InlineData((byte)0xFE, (short)8)]
    [InlineData((byte)0xF0, (short)120)]
    [InlineData((byte)0xEF, (short)132)]
    public void MuLaw_DecodesKnownValues(byte code, short expected)
    {
        Assert.Equal(expected, MuLaw.Decode(code));
    }

    [Theory]
    [InlineData((short)0, (byte)0xD5)]
    [InlineData((short)-1, (byte)0x55)]
    [InlineData((short)32767, (byte)0xAA)]
    [InlineData((short)-32768, (byte)0x2A)]
    [InlineData((short)16, (byte)0xD4)]
    public void ALaw_EncodesKnownValues(short sample, byte expected)
    {
        Assert.Equal(expected, ALaw.Encode(sample));
    }

    [Theory]
    [InlineData((byte)0xD5, (short)8)]
    [InlineData((byte)0x55, (short)-8)]
    [InlineData((byte)0xAA, (short)32256)]
    [InlineData((byte)0x2A, (short)-32256)]
    public void ALaw_DecodesKnownValues(byte code, short expected)
    {
        Assert.Equal(expected, ALaw.Decode(code));
    }

    [Fact]
    public void MuLaw_RoundTripErrorStaysWithinHalfAQuantizationStepAcrossTheFullRange()
    {
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            var decoded = MuLaw.Decode(MuLaw.Encode((short)s));
            var magnitude = Math.Abs(s);
            // Steps double per segment: 8 units (16-bit scale) up to 8159/4*4, then 16, 32 ... 1024,
            // so half a step is at most magnitude/32 + 4; beyond 32124 the code saturates.
            var bound = magnitude > 32124 ? magnitude - 32124 + 512 : magnitude / 32 + 8;
            Assert.True(Math.Abs(decoded - s) <= bound, $"sample {s} decoded {decoded}");
            Assert.True(decoded == 0 || Math.Sign(decoded) == Math.Sign(s), $"sign flip at {s}");
        }
    }

    [Fact]
    public void ALaw_RoundTripErrorStaysWithinHalfAQuantizationStepAcrossTheFullRange()
    {
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            var decoded = ALaw.Decode(ALaw.Encode((short)s));
            var magnitude = Math.Abs(s);
            var bound = magnitude > 32256 ? magnitude - 32256 + 512 : Math.Max(16, magnitude / 32 + 16);
            Assert.True(Math.Abs(decoded - s) <= bound, $"sample {s} decoded {decoded}");
            Assert.True(Math.Sign(decoded) == Math.Sign(s) || Math.Abs(s) < 16, $"sign flip at {s}");
        }
    }

    [Fact]
    public void EveryCodeWordSurvivesDecodeThenEncode()
    {
        for (var code = 0; code < 256; code++)
        {
            var mu = MuLaw.Decode((byte)code);
            var expectedMu = code == 0x7F ? (byte)0xFF : (byte)code; // negative zero re-encodes as positive zero
            Assert.Equal(expectedMu, MuLaw.Encode(mu));
            Assert.Equal((byte)code, ALaw.Encode(ALaw.Decode((byte)code)));
        }
    }

    [Fact]
    public void DecodingIsMonotonicInTheLinearValue()
    {
        var mu = Enumerable.Range(0, 256).Select(c => (int)MuLaw.Decode((byte)c)).Distinct().Order().ToArray();
        var a = Enumerable.Range(0, 256).Select(c => (int)ALaw.Decode((byte)c)).Distinct().Order().ToArray();
        Assert.Equal(255, mu.Length); // +0 and -0 coincide
        Assert.Equal(256, a.Length);
        for (int s = short.MinValue + 1; s <= short.MaxValue; s++)
        {
            Assert.True(MuLaw.Decode(MuLaw.Encode((short)s)) >= MuLaw.Decode(MuLaw.Encode((short)(s - 1))));
            Assert.True(ALaw.Decode(ALaw.Encode((short)s)) >= ALaw.Decode(ALaw.Encode((short)(s - 1))));
        }
    }

    [Fact]
    public void SpanEncodeMatchesSampleEncodeForAFrame()
    {
        var pcm = new short[FrameFormat.SamplesPerFrame];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(Math.Sin(2 * Math.PI * 1000 * i / 8000.0) * 12000);
        }
        Span<byte> payload = stackalloc byte[pcm.Length];
        Span<short> back = stackalloc short[pcm.Length];
        foreach (var codec in new[] { AudioCodec.Pcmu, AudioCodec.Pcma })
        {
            Assert.Equal(160, codec.Encode(pcm, payload));
            Assert.Equal(160, codec.Decode(payload, back));
            for (var i = 0; i < pcm.Length; i++)
            {
                Assert.True(Math.Abs(back[i] - pcm[i]) <= 12000 / 32 + 16, $"{codec} sample {i}");
            }
        }
        var oneByOne = pcm.Select(MuLaw.Encode).ToArray();
        var spanEncoded = new byte[pcm.Length];
        MuLaw.Encode(pcm, spanEncoded);
        Assert.Equal(oneByOne, spanEncoded);
    }

    [Fact]
    public void EncodeRejectsAShortDestination()
    {
        Assert.Throws<ArgumentException>(() => MuLaw.Encode(new short[160], new byte[159]));
        Assert.Throws<ArgumentException>(() => ALaw.Decode(new byte[160], new short[10]));
    }

    [Fact]
    public void CodecsAreFoundByNameAndStaticPayloadType()
    {
        Assert.Same(AudioCodec.Pcmu, AudioCodec.FromName("pcmu", 8000));
        Assert.Same(AudioCodec.Pcma, AudioCodec.FromName("PCMA", 8000));
        Assert.Null(AudioCodec.FromName("PCMU", 16000));
        Assert.Null(AudioCodec.FromName("opus", 48000));
        Assert.Same(AudioCodec.Pcmu, AudioCodec.FromStaticPayloadType(0));
        Assert.Same(AudioCodec.Pcma, AudioCodec.FromStaticPayloadType(8));
        Assert.Null(AudioCodec.FromStaticPayloadType(18));
    }
}
