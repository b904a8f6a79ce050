namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), across
/// reads that split or join messages arbitrarily. CRLF keep-alives between messages are
/// skipped (RFC 5626 §3.5.1). After a framing error the stream cannot be resynchronised and
/// the connection should be closed.
/// </summary>
public sealed class SipStreamFramer
{
    private byte[] _buffer = new byte[4096];
    private int _length;

    /// <summary>Keep-alive CRLF pairs seen since the last call (a "\r\n\r\n" ping wants a "\r\n" pong).</summary>
    public int KeepAlivesSeen { get; private set; }

    public int Buffered => _length;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (_length + data.Length > _buffer.Length)
        {
            var size = _buffer.Length;
            while (size < _length + data.Length)
            {
                size *= 2;
            }

            Array.Resize(ref _buffer, size);
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
    }

    /// <summary>
    /// The next complete message, or an error; null when more bytes are needed.
    /// </summary>
    public SipParseResult? TryRead()
    {
        var skipped = 0;
        while (skipped + 1 < _length && _buffer[skipped] == (byte)'\r' && _buffer[skipped + 1] == (byte)'\n')
        {
            skipped += 2;
        }

        if (skipped >= 4)
        {
            KeepAlivesSeen += skipped / 4;
        }

        if (skipped > 0)
        {
            Consume(skipped);
        }

        if (_length == 0)
        {
            return null;
        }

        var result = SipMessageParser.Parse(_buffer.AsSpan(0, _length), SipFraming.Stream);
        if (result.NeedsMoreData)
        {
            return null;
        }

        Consume(Math.Max(result.Consumed, 1));
        return result;
    }

    public int TakeKeepAlives()
    {
        var seen = KeepAlivesSeen;
        KeepAlivesSeen = 0;
        return seen;
    }

    private void Consume(int count)
    {
        count = Math.Min(count, _length);
        Buffer.BlockCopy(_buffer, count, _buffer, 0, _length - count);
        _length -= count;
    }
}
