using System.Net;
using System.Threading.Channels;
using Aicc.Handlers.CallControl;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Handlers.Tests.CallControl;

/// <summary>Two real SIP call controls on loopback, each behind a hub, calling each other.</summary>
public sealed class CallEventHubTests : IAsyncLifetime
{
    private readonly MediaClock _clock = new();
    private readonly List<IAsyncDisposable> _nodes = [];
    private CallEventHub _caller = null!;
    private CallEventHub _callee = null!;
    private IPEndPoint _calleeSip = null!;

    public Task InitializeAsync()
    {
        _caller = new CallEventHub(NewCallControl(out _));
        _callee = new CallEventHub(NewCallControl(out _calleeSip));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _caller.DisposeAsync();
        await _callee.DisposeAsync();
        foreach (var node in Enumerable.Reverse(_nodes))
        {
            await node.DisposeAsync();
        }

        _clock.Dispose();
    }

    [Fact]
    public async Task GivenALateWatcher_ThenItGetsTheLegsEarlyEventsFirstAndEveryLaterOneInOrder()
    {
        var leg = await _caller.Control.OriginateAsync(new OriginateRequest("4420790001", _calleeSip, "861055501234"));
        var incoming = await ReadAsync(_callee.Incoming);
        await _callee.Control.RingAsync(incoming.Leg);
        await Task.Delay(300); // the 180 reaches the caller's hub before anyone watches the leg

        var first = Channel.CreateUnbounded<CallEvent>();
        using var firstWatch = _caller.Watch(leg, first.Writer);
        Assert.IsType<CallEvent.Ringing>(await ReadAsync(first.Reader));

        var second = Channel.CreateUnbounded<CallEvent>();
        using var secondWatch = _caller.Watch(leg, second.Writer);
        await _callee.Control.AnswerAsync(incoming.Leg);
        Assert.IsType<CallEvent.Answered>(await ReadAsync(first.Reader));
        Assert.IsType<CallEvent.Answered>(await ReadAsync(second.Reader));

        await _callee.Control.HangUpAsync(incoming.Leg);
        var hungUp = Assert.IsType<CallEvent.Hungup>(await ReadAsync(first.Reader));
        Assert.Equal(CallEndedBy.Remote, hungUp.By);
        Assert.IsType<CallEvent.Hungup>(await ReadAsync(second.Reader));
        Assert.Equal(0, _caller.WatchedLegs);
    }

    [Fact]
    public async Task GivenAWatcherThatUnsubscribed_ThenOnlyTheOtherWatcherHearsTheLeg()
    {
        var leg = await _caller.Control.OriginateAsync(new OriginateRequest("4420790002", _calleeSip, "861055501234"));
        var incoming = await ReadAsync(_callee.Incoming);
        var calleeInbox = Channel.CreateUnbounded<CallEvent>();
        using var calleeWatch = _callee.Watch(incoming.Leg, calleeInbox.Writer);

        var leaving = Channel.CreateUnbounded<CallEvent>();
        var staying = Channel.CreateUnbounded<CallEvent>();
        var leavingWatch = _caller.Watch(leg, leaving.Writer);
        using var stayingWatch = _caller.Watch(leg, staying.Writer);
        leavingWatch.Dispose();

        await _callee.Control.AnswerAsync(incoming.Leg);
        Assert.IsType<CallEvent.Answered>(await ReadAsync(staying.Reader));
        Assert.IsType<CallEvent.Answered>(await ReadAsync(calleeInbox.Reader));
        await _caller.Control.HangUpAsync(leg);
        Assert.IsType<CallEvent.Hungup>(await ReadAsync(staying.Reader));
        Assert.Equal(CallEndedBy.Remote, Assert.IsType<CallEvent.Hungup>(await ReadAsync(calleeInbox.Reader)).By);
        Assert.False(leaving.Reader.TryRead(out var unexpected), $"an unsubscribed watcher got {unexpected}");
    }

    private static async Task<T> ReadAsync<T>(ChannelReader<T> reader)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await reader.ReadAsync(timeout.Token);
    }

    private SipCallControl NewCallControl(out IPEndPoint sip)
    {
        var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System);
        var control = new SipCallControl(uas, _clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback });
        _nodes.Add(stack);
        _nodes.Add(control);
        sip = stack.UdpEndPoints[0];
        return control;
    }
}
