using System.Net;
using System.Threading.Channels;
using Aicc.Telephony.CallControl;
using Aicc.Telephony.Media;
using Aicc.Telephony.Sip;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Tests.CallControl;

/// <summary>A real SIP stack on a loopback UDP port with call control on top: one telephone switch of ours.</summary>
public sealed class CallControlNode : IAsyncDisposable
{
    private CallControlNode(SipStack stack, SipCallControl control)
    {
        Stack = stack;
        Control = control;
    }

    public SipStack Stack { get; }

    public SipCallControl Control { get; }

    public IPEndPoint Sip => Stack.UdpEndPoints[0];

    public SipUserAgentServer Uas { get; private init; } = null!;

    public static CallControlNode Start(MediaClock clock, SipRegistrar? registrar = null, Aicc.Telephony.Sip.Authentication.DigestAuthenticator? authenticator = null, string user = "aicc")
    {
        var stack = SipStack.Start(new SipTransportOptions { Udp = [new IPEndPoint(IPAddress.Loopback, 0)] });
        var uas = SipUserAgentServer.On(stack, TimeProvider.System, registrar: registrar, user: user);
        uas.RegisterAuthenticator = authenticator;
        return new CallControlNode(stack, new SipCallControl(uas, clock, new SipCallControlOptions { MediaAddress = IPAddress.Loopback })) { Uas = uas };
    }

    private readonly List<CallEvent> _backlog = [];

    /// <summary>
    /// The first not yet taken event of type <typeparamref name="T"/>, or a failure naming what came
    /// instead. Events of other types stay in a backlog for later calls, so the order in which a
    /// test asks does not have to match the order in which events raced in.
    /// </summary>
    public async Task<T> Next<T>(TimeSpan? timeout = null, Func<T, bool>? match = null)
        where T : CallEvent
    {
        var earlier = _backlog.OfType<T>().FirstOrDefault(e => match is null || match(e));
        if (earlier is not null)
        {
            _backlog.Remove(earlier);
            return earlier;
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var seen = _backlog;
        try
        {
            while (true)
            {
                var e = await Control.Events.ReadAsync(cts.Token);
                if (e is T wanted && (match is null || match(wanted)))
                {
                    return wanted;
                }

                _backlog.Add(e);
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {typeof(T).Name} event; saw: {string.Join(", ", seen)}");
        }
        catch (ChannelClosedException)
        {
            throw new TimeoutException($"events ended without {typeof(T).Name}; saw: {string.Join(", ", seen)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Control.DisposeAsync();
        await Stack.DisposeAsync();
    }
}
