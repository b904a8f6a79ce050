using System.Buffers.Binary;

namespace Aicc.Telephony.Rtp;

/// <summary>
/// The 4-byte telephone-event payload of RFC 4733 §2.3: event code, end bit, volume and
/// duration. Exists because DTMF digits travel in RTP (not as audio tones, which G.711 and
/// jitter buffers would smear) and trunks and softphones default to it.
/// </summary>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>Writes the payload; returns 4.</summary>
    public int WriteTo(Span<byte> destination)
    {
        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        return Length;
    }

    /// <summary>Reads a payload (the R bit is ignored, §2.3); false when shorter than 4 bytes.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Length)
        {
            value = default;
            return false;
        }
        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F), BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    /// <summary>The DTMF character of an event code (RFC 4733 §3.2 Table 7: 0-9, *, #, A-D, flash).</summary>
    public static char? ToDigit(byte code) => code switch
    {
        <= 9 => (char)('0' + code),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + code - 12),
        16 => '!',
        _ => null,
    };

    /// <summary>The event code of a DTMF character; null for anything else.</summary>
    public static byte? FromDigit(char digit) => char.ToUpperInvariant(digit) switch
    {
        >= '0' and <= '9' => (byte)(digit - '0'),
        '*' => 10,
        '#' => 11,
        var c and >= 'A' and <= 'D' => (byte)(12 + c - 'A'),
        '!' => 16,
        _ => null,
    };
}

/// <summary>
/// Produces the packet sequence of one RFC 4733 event at the packet interval (§2.5.1): the first
/// packet with the marker bit, updates with the same timestamp and growing duration, then the
/// final packet with the E bit sent three times (§2.5.1.4) so one loss cannot hide the end.
/// </summary>
public sealed class DtmfSender
{
    private const int EndRepeats = 3;

    private byte _event;
    private int _totalUnits;
    private int _elapsedUnits;
    private int _endsSent;

    /// <summary>True while an event's packets are being produced.</summary>
    public bool Active { get; private set; }

    /// <summary>The RTP timestamp all packets of the current event carry (its start, §2.5.1.2).</summary>
    public uint EventTimestamp { get; private set; }

    /// <summary>Starts an event lasting <paramref name="durationMs"/> (at least one packet), stamped with the RTP time now.</summary>
    public void Start(byte eventCode, int durationMs, uint rtpTimestampNow, int volume = 10)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(eventCode, (byte)16);
        _event = eventCode;
        Volume = (byte)Math.Clamp(volume, 0, 63);
        // Duration is 16 bits of timestamp units (§2.5.2.3 would segment longer events): cap at 8 s.
        _totalUnits = Math.Clamp(durationMs, Codecs.FrameFormat.FrameMilliseconds, 8000) * (Codecs.FrameFormat.SampleRate / 1000);
        _elapsedUnits = 0;
        _endsSent = 0;
        EventTimestamp = rtpTimestampNow;
        Active = true;
    }

    public byte Volume { get; private set; } = 10;

    /// <summary>The next packet's payload and marker bit for this 20 ms tick; false when the event is over.</summary>
    public bool TryNext(out TelephoneEvent payload, out bool marker)
    {
        if (!Active)
        {
            payload = default;
            marker = false;
            return false;
        }
        marker = _elapsedUnits == 0 && _endsSent == 0;
        if (_elapsedUnits < _totalUnits)
        {
            _elapsedUnits = Math.Min(_totalUnits, _elapsedUnits + Codecs.FrameFormat.SamplesPerFrame);
        }
        var ended = _elapsedUnits >= _totalUnits;
        payload = new TelephoneEvent(_event, ended, Volume, (ushort)_elapsedUnits);
        if (ended && ++_endsSent >= EndRepeats)
        {
            Active = false;
        }
        return true;
    }
}

/// <summary>A DTMF digit received as an RFC 4733 event.</summary>
public readonly record struct DtmfDigitReceived(char Digit, uint RtpTimestamp, int DurationMs, bool Ended);

/// <summary>
/// Turns a stream of telephone-event packets into digits: each event is reported once, on its
/// first packet, keyed by the RTP timestamp shared by all its packets (RFC 4733 §2.5.2: a new
/// timestamp means a new event), so updates and the three end packets do not repeat the digit.
/// </summary>
public sealed class DtmfReceiver
{
    private uint _lastTimestamp;
    private bool _any;

    /// <summary>Returns the digit when this packet starts a new event; null for repeats and unknown codes.</summary>
    public DtmfDigitReceived? Receive(uint rtpTimestamp, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEvent.TryRead(payload, out var value))
        {
            return null;
        }
        if (_any && rtpTimestamp == _lastTimestamp)
        {
            return null;
        }
        _any = true;
        _lastTimestamp = rtpTimestamp;
        var digit = TelephoneEvent.ToDigit(value.Event);
        if (digit is null)
        {
            return null;
        }
        return new DtmfDigitReceived(digit.Value, rtpTimestamp, value.Duration / (Codecs.FrameFormat.SampleRate / 1000), value.End);
    }
}
