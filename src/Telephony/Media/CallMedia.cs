using System.Net;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Rtp;
using Aicc.Telephony.Sdp;

namespace Aicc.Telephony.Media;

/// <summary>The result of giving <see cref="CallMedia"/> an SDP body from the peer.</summary>
public abstract record SdpOutcome
{
    private SdpOutcome()
    {
    }

    /// <summary>Accepted; <paramref name="AnswerSdp"/> is our answer when the peer's body was an offer (null for an answer).</summary>
    public sealed record Accepted(string? AnswerSdp, NegotiatedAudio Audio) : SdpOutcome;

    /// <summary>Well-formed but nothing we can do: answer the INVITE with 488 (RFC 3264 §6).</summary>
    public sealed record NotAcceptable(string Reason) : SdpOutcome
    {
        public int SipStatusCode => 488;
    }

    /// <summary>Not valid SDP: answer 400 with the reason.</summary>
    public sealed record Malformed(SdpError Error, string Reason) : SdpOutcome
    {
        public int SipStatusCode => 400;
    }
}

/// <summary>
/// The media side of one call leg as the SIP layer sees it: SDP bodies in and out (RFC 3264),
/// an RTP session and a <see cref="MediaLeg"/> behind them. Exists so user agents and the B2BUA
/// need not know about payload types or sockets: hand it the INVITE's body, put what it returns
/// in the 200 OK (or send the 488/400 it names), and re-INVITEs for hold and resume come out of
/// <see cref="Hold"/> and <see cref="Resume"/>. Our origin keeps one session id and bumps the
/// version whenever our description changes (RFC 3264 §8).
/// </summary>
public sealed class CallMedia : IAsyncDisposable
{
    private readonly object _gate = new();
    private LocalAudio _local;
    private readonly ulong _sessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    private ulong _version;
    private SessionDescription? _lastLocal;
    private SessionDescription? _pendingOffer;

    private CallMedia(LocalAudio local, MediaLeg leg)
    {
        _local = local;
        Leg = leg;
    }

    /// <summary>The leg's audio: inbound frames, outbound frames, playback, recording, DTMF.</summary>
    public MediaLeg Leg { get; }

    /// <summary>What was last agreed, or null before the first offer/answer completed.</summary>
    public NegotiatedAudio? Negotiated { get; private set; }

    /// <summary>
    /// Opens the RTP session on <paramref name="bind"/> and advertises <paramref name="advertised"/>
    /// (the address peers can reach, when binding to a wildcard) in SDP.
    /// </summary>
    public static CallMedia Create(
        IPAddress bind,
        MediaClock clock,
        IReadOnlyList<AudioCodec> codecs,
        IPAddress? advertised = null,
        RtpSessionOptions? options = null,
        MediaLegOptions? legOptions = null)
    {
        var session = RtpSession.Open(bind, options);
        var local = new LocalAudio(advertised ?? bind, session.LocalRtp.Port, codecs);
        return new CallMedia(local, new MediaLeg(session, clock, legOptions));
    }

    /// <summary>Our offer for an outgoing INVITE (or a re-INVITE that changes nothing).</summary>
    public string CreateOffer()
    {
        lock (_gate)
        {
            var offer = Stamp(version => SdpOfferAnswer.CreateOffer(_local, _sessionId, version));
            _pendingOffer = offer;
            return offer.ToString();
        }
    }

    /// <summary>A re-offer putting the call on hold (sendonly, or inactive if we were only receiving).</summary>
    public string Hold() => Reoffer(MediaDirection.SendOnly);

    /// <summary>A re-offer taking the call off hold.</summary>
    public string Resume() => Reoffer(MediaDirection.SendRecv);

    /// <summary>
    /// Handles an offer from the peer (INVITE or re-INVITE body): on success the RTP session is
    /// (re)configured and the answer is returned for the 200 OK.
    /// </summary>
    public SdpOutcome AcceptOffer(string offerSdp)
    {
        if (!SdpParser.TryParse(offerSdp, out var offer, out var error))
        {
            return new SdpOutcome.Malformed(error!.Error, error.Message);
        }
        lock (_gate)
        {
            var result = SdpOfferAnswer.Answer(offer!, _local, _sessionId, _version);
            switch (result)
            {
                case SdpAnswerResult.Accepted accepted:
                    var answer = Stamp(version => accepted.Answer with { Origin = accepted.Answer.Origin with { SessionVersion = version } });
                    Apply(accepted.Audio);
                    return new SdpOutcome.Accepted(answer.ToString(), accepted.Audio);
                case SdpAnswerResult.Rejected rejected:
                    return new SdpOutcome.NotAcceptable(rejected.Reason);
                default:
                    throw new InvalidOperationException($"Unknown answer result {result}.");
            }
        }
    }

    /// <summary>Handles the peer's answer (200 OK or ACK body) to our last offer.</summary>
    public SdpOutcome AcceptAnswer(string answerSdp)
    {
        if (!SdpParser.TryParse(answerSdp, out var answer, out var error))
        {
            return new SdpOutcome.Malformed(error!.Error, error.Message);
        }
        lock (_gate)
        {
            if (_pendingOffer is null)
            {
                return new SdpOutcome.NotAcceptable("no offer of ours is outstanding");
            }
            var result = SdpOfferAnswer.ReadAnswer(_pendingOffer, answer!, _local);
            _pendingOffer = null;
            switch (result)
            {
                case SdpAnswerResult.Accepted accepted:
                    Apply(accepted.Audio);
                    return new SdpOutcome.Accepted(null, accepted.Audio);
                case SdpAnswerResult.Rejected rejected:
                    return new SdpOutcome.NotAcceptable(rejected.Reason);
                default:
                    throw new InvalidOperationException($"Unknown answer result {result}.");
            }
        }
    }

    public ValueTask DisposeAsync() => Leg.DisposeAsync();

    private string Reoffer(MediaDirection wanted)
    {
        lock (_gate)
        {
            var current = Negotiated?.LocalDirection ?? MediaDirection.SendRecv;
            var direction = wanted == MediaDirection.SendOnly && current == MediaDirection.RecvOnly
                ? MediaDirection.Inactive // RFC 3264 §8.4: holding a stream we only receive makes it inactive
                : wanted;
            _local = _local with { Direction = direction };
            var offer = Stamp(version => SdpOfferAnswer.CreateOffer(_local, _sessionId, version));
            _pendingOffer = offer;
            return offer.ToString();
        }
    }

    // RFC 3264 §8: the origin's version goes up exactly when our description changes; an
    // unchanged re-offer (a session refresh) keeps it.
    private SessionDescription Stamp(Func<ulong, SessionDescription> build)
    {
        var candidate = build(_version);
        if (_lastLocal is null || candidate.ToString() != _lastLocal.ToString())
        {
            candidate = build(++_version);
        }
        _lastLocal = candidate;
        return candidate;
    }

    private void Apply(NegotiatedAudio audio)
    {
        Negotiated = audio;
        Leg.Session.Configure(RtpSessionParameters.From(audio));
    }
}
