using System.Net;
using System.Threading.Channels;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip;

/// <summary>
/// Wires the layers: listeners parse into a bounded inbound channel; one pump stamps Via
/// (RFC 3261 §18.2.1, RFC 3581), answers unparseable requests statelessly and hands the rest
/// to the transaction layer; one sender drains the bounded outbound channel to the sockets.
/// </summary>
public sealed class SipStack : IAsyncDisposable
{
    private readonly SipTransportOptions _options;
    private readonly Channel<SipInbound> _inbound;
    private readonly Channel<SipOutbound> _outbound;
    private readonly List<SipUdpListener> _udp = [];
    private readonly List<SipTcpListener> _tcp = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private readonly Task _sender;
    private long _malformedAnswered;
    private long _malformedDropped;
    private long _faults;
    private long _sendErrors;

    private SipStack(SipTransportOptions options, TimeProvider time, SipTimers? timers)
    {
        _options = options;
        _inbound = Channel.CreateBounded<SipInbound>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _outbound = Channel.CreateBounded<SipOutbound>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        Transactions = new SipTransactionLayer(time, _outbound.Writer, timers);
        try
        {
            foreach (var endPoint in options.Udp)
            {
                _udp.Add(SipUdpListener.Start(endPoint, _inbound.Writer, options.SocketBufferBytes));
            }

            foreach (var endPoint in options.Tcp)
            {
                _tcp.Add(SipTcpListener.Start(endPoint, _inbound.Writer, options));
            }
        }
        catch
        {
            foreach (var l in _udp)
            {
                l.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            throw;
        }

        _pump = Task.Run(PumpAsync);
        _sender = Task.Run(SendLoopAsync);
    }

    public SipTransactionLayer Transactions { get; }

    public IReadOnlyList<IPEndPoint> UdpEndPoints => _udp.Select(u => u.LocalEndPoint).ToList();

    public IReadOnlyList<IPEndPoint> TcpEndPoints => _tcp.Select(t => t.LocalEndPoint).ToList();

    public long MalformedAnswered => Interlocked.Read(ref _malformedAnswered);

    public long MalformedDropped => Interlocked.Read(ref _malformedDropped);

    /// <summary>Exceptions while handling received messages or reading sockets: bugs, expected to stay 0.</summary>
    public long Faults => Interlocked.Read(ref _faults) + _udp.Sum(u => u.Faults);

    public long SendErrors => Interlocked.Read(ref _sendErrors);

    /// <summary>The most recent fault, kept for diagnosis.</summary>
    public Exception? LastFault { get; private set; }

    public static SipStack Start(SipTransportOptions options, TimeProvider? time = null, SipTimers? timers = null) =>
        new(options, time ?? TimeProvider.System, timers);

    /// <summary>
    /// The Via this stack puts on requests it originates over <paramref name="kind"/>, with a
    /// fresh branch and rport asked for (RFC 3581 §3).
    /// </summary>
    public string NewViaValue(SipTransportKind kind)
    {
        var endPoint = kind == SipTransportKind.Udp ? _udp[0].LocalEndPoint : _tcp[0].LocalEndPoint;
        var host = endPoint.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : endPoint.Address;
        return $"SIP/2.0/{kind.ToString().ToUpperInvariant()} {new IPEndPoint(host, endPoint.Port)};branch={SipTransactionLayer.NewBranch()};rport";
    }

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var inbound in _inbound.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    Handle(inbound);
                }
                catch (Exception e)
                {
                    LastFault = e;
                    Interlocked.Increment(ref _faults);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Handle(SipInbound inbound)
    {
        var parse = inbound.Parse;
        if (!parse.IsSuccess)
        {
            var reply = SipStatelessResponder.ForMalformed(parse);
            if (reply is null)
            {
                Interlocked.Increment(ref _malformedDropped);
                return;
            }

            Interlocked.Increment(ref _malformedAnswered);
            _outbound.Writer.TryWrite(new SipOutbound(inbound.Source, reply));
            return;
        }

        if (parse.Message is SipResponse response)
        {
            Transactions.Receive(response, inbound.Source);
            return;
        }

        var request = (SipRequest)parse.Message!;
        if (request.TopVia is null)
        {
            // No Via, no way back (§18.2.2): nothing can be answered.
            Interlocked.Increment(ref _malformedDropped);
            return;
        }

        var (stamped, responseTo) = StampVia(request, inbound.Source);
        Transactions.Receive(stamped, responseTo);
    }

    /// <summary>
    /// §18.2.1: add received when sent-by is not the source address; RFC 3581 §4: fill an
    /// empty rport with the source port (and always add received). Returns where responses go
    /// (§18.2.2): the source address, at the source port when rport asks for it.
    /// </summary>
    private (SipRequest Request, SipRemote ResponseTo) StampVia(SipRequest request, SipRemote source)
    {
        var via = request.TopVia!;
        var sourceAddress = source.EndPoint.Address.IsIPv4MappedToIPv6 ? source.EndPoint.Address.MapToIPv4() : source.EndPoint.Address;
        var sentByIsSource = IPAddress.TryParse(via.Host.Trim('[', ']'), out var sentBy) && sentBy.Equals(sourceAddress);
        var stamped = via;
        if (!sentByIsSource || via.HasRport)
        {
            stamped = stamped.WithParameter("received", sourceAddress.ToString());
        }

        if (via.HasRport)
        {
            stamped = stamped.WithParameter("rport", source.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var responseTo = source;
        if (source.Kind == SipTransportKind.Udp && !via.HasRport && !_options.SymmetricResponses)
        {
            responseTo = source with { EndPoint = new IPEndPoint(source.EndPoint.Address, via.Port ?? 5060) };
        }

        return (ReferenceEquals(stamped, via) ? request : request.WithTopVia(stamped), responseTo);
    }

    private async Task SendLoopAsync()
    {
        try
        {
            await foreach (var outbound in _outbound.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    if (outbound.Remote.Kind == SipTransportKind.Udp && _udp.Count > 0)
                    {
                        await _udp[0].SendAsync(outbound.Remote.EndPoint, outbound.Bytes, _stop.Token);
                    }
                    else if (outbound.Remote.Kind == SipTransportKind.Tcp && _tcp.Count > 0)
                    {
                        await _tcp[0].SendAsync(outbound.Remote, outbound.Bytes, _stop.Token);
                    }
                    else
                    {
                        Interlocked.Increment(ref _sendErrors);
                    }
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
                {
                    Interlocked.Increment(ref _sendErrors);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var u in _udp)
        {
            await u.DisposeAsync();
        }

        foreach (var t in _tcp)
        {
            await t.DisposeAsync();
        }

        try
        {
            await Task.WhenAll(_pump, _sender);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}
