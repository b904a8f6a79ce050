using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Threading.Channels;
using Aicc.Telephony.Codecs;
using Aicc.Telephony.Media;
using Aicc.Telephony.Rtp;
using Aicc.Telephony.Sdp;
using Aicc.Telephony.Sip.Authentication;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.CallControl;

/// <summary>Settings of the SIP call control: where media is received, codec preference, channel sizes.</summary>
public sealed record SipCallControlOptions
{
    /// <summary>The address put in SDP and bound by RTP sessions (the host's address the peers reach).</summary>
    public required IPAddress MediaAddress { get; init; }

    /// <summary>Our codec preference; the answer takes the first one the offer contains (ADR 0005).</summary>
    public IReadOnlyList<AudioCodec> Codecs { get; init; } = [AudioCodec.Pcmu, AudioCodec.Pcma];

    /// <summary>Events held for a slow reader before further ones are dropped and counted.</summary>
    public int EventCapacity { get; init; } = 4096;

    /// <summary>How long an originated call may ring before we cancel it (B unreachable).</summary>
    public TimeSpan DefaultRingTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public RtpPortAllocator Ports { get; init; } = new();

    public TimeProvider Time { get; init; } = TimeProvider.System;
}

/// <summary>
/// <see cref="ICallControl"/> over our SIP user agents (src/Telephony/Sip) and media engine
/// (src/Telephony/Media): each leg is one INVITE dialog plus one RTP session on the shared media
/// clock. SIP callbacks are turned into <see cref="CallEvent"/>s here and nowhere else, so the
/// platform sees only call-level facts (ADR 0007).
/// </summary>
public sealed partial class SipCallControl : ICallControl
{
    private readonly SipUserAgentServer _uas;
    private readonly SipUserAgentClient _uac;
    private readonly MediaClock _clock;
    private readonly SipCallControlOptions _options;
    private readonly Channel<CallEvent> _events;
    private readonly ConcurrentDictionary<long, Leg> _legs = new();
    private readonly ConcurrentBag<Task> _cleanups = [];
    private long _nextLeg;
    private long _eventsDropped;

    public SipCallControl(SipUserAgentServer uas, MediaClock clock, SipCallControlOptions options)
    {
        _uas = uas;
        _uac = new SipUserAgentClient(uas);
        _clock = clock;
        _options = options;
        _events = Channel.CreateBounded<CallEvent>(new BoundedChannelOptions(options.EventCapacity) { FullMode = BoundedChannelFullMode.Wait });
        uas.IncomingCall += OnIncoming;
    }

    public ChannelReader<CallEvent> Events => _events.Reader;

    /// <summary>Events lost because nobody read <see cref="Events"/> in time (expected 0).</summary>
    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    /// <summary>Legs not yet hung up.</summary>
    public int ActiveLegs => _legs.Count;

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    public Task<CallLegId> OriginateAsync(OriginateRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var target = SipUri.Create(request.Destination, request.TrunkDomain ?? request.Trunk.Address.ToString(), request.TrunkDomain is null ? request.Trunk.Port : null);
        var remote = new SipRemote(request.UseTcp ? SipTransportKind.Tcp : SipTransportKind.Udp, request.Trunk);
        var credentials = request.Credentials is null ? null : new SipCredentials(request.Credentials.User, request.Credentials.Password);
        return Task.FromResult(Originate(target, remote, request.CallerId, request.CallerName, request.RingTimeout, credentials));
    }

    public Task<CallLegId> CallRegisteredAsync(string addressOfRecord, string callerId, string? callerName = null, TimeSpan? ringTimeout = null)
    {
        var registrar = _uas.Registrar ?? throw new InvalidOperationException("This call control has no registrar.");
        var uri = SipAnyUri.TryParse(addressOfRecord) ?? throw new ArgumentException($"'{addressOfRecord}' is not a SIP URI.", nameof(addressOfRecord));
        // The freshest binding wins: the phone that registered last is the one the agent uses now.
        var binding = registrar.Lookup(SipRegistrar.AddressOfRecord(uri)).MaxBy(b => b.ExpiresAt)
            ?? throw new InvalidOperationException($"{addressOfRecord} is not registered.");
        if (binding.Contact.Uri is not SipUri contact || !IPAddress.TryParse(contact.Host.Trim('[', ']'), out var address))
        {
            throw new InvalidOperationException($"{addressOfRecord} registered a contact we cannot reach directly: {binding.Contact.Uri}");
        }

        var kind = contact.Transport == "tcp" ? SipTransportKind.Tcp : SipTransportKind.Udp;
        return Task.FromResult(Originate(contact, new SipRemote(kind, new IPEndPoint(address, contact.Port ?? 5060)), callerId, callerName, ringTimeout, null));
    }

    private CallLegId Originate(SipAnyUri target, SipRemote remote, string callerId, string? callerName, TimeSpan? ringTimeout, SipCredentials? credentials)
    {
        var leg = NewLeg(CallLegRole.B);
        var session = RtpSession.Open(_options.MediaAddress, new RtpSessionOptions { Time = _options.Time }, _options.Ports);
        var local = LocalAudio(session);
        var offer = SdpOfferAnswer.CreateOffer(local, SessionId(), 1);
        leg.Rtp = session;
        leg.LocalAudio = local;
        leg.Offer = offer;

        var ours = (SipUri)SipNameAddress.TryParse(_uas.ContactUri)!.Uri;
        var identity = new SipNameAddress(callerName, SipUri.Create(callerId, ours.Host, ours.Port), [], true);
        var call = _uac.Call(target, remote, callerId, offer.ToString(), callerName,
            extraHeaders: [new SipHeader("P-Asserted-Identity", identity.ToString())], credentials: credentials);
        leg.Outgoing = call;
        call.Provisional += (_, response) => OnProvisional(leg, response.StatusCode);
        call.InfoReceived += (_, info) => OnInfo(leg, info);
        call.NotifyReceived += (_, notify) => OnNotify(leg, notify);
        _ = call.Answered.ContinueWith(t => OnOutgoingFinal(leg, t.Result), TaskScheduler.Default);
        _ = call.Ended.ContinueWith(t => OnOutgoingEnded(leg, t.Result), TaskScheduler.Default);
        _ = CancelUnansweredAsync(leg, ringTimeout ?? _options.DefaultRingTimeout);
        return leg.Id;
    }

    public Task RingAsync(CallLegId leg)
    {
        Incoming(leg).Ring();
        return Task.CompletedTask;
    }

    public Task AnswerAsync(CallLegId id, CancellationToken cancellationToken = default)
    {
        var leg = Get(id);
        var call = leg.Incoming ?? throw new InvalidOperationException($"{id} is an outgoing leg; only inbound legs are answered.");
        if (call.IsAnswered)
        {
            return Task.CompletedTask;
        }

        if (call.RemoteBody is null || !SdpParser.TryParse(call.RemoteBody, out var offer, out var error))
        {
            // Offerless INVITEs (offer in our 200, answer in the ACK) are not supported: the trunks we meet always offer.
            leg.Rejection = (CallCloseReason.ChannelError, 488, "no SDP offer in the INVITE");
            call.Reject(488);
            return Task.CompletedTask;
        }

        var session = RtpSession.Open(_options.MediaAddress, new RtpSessionOptions { Time = _options.Time }, _options.Ports);
        var result = SdpOfferAnswer.Answer(offer!, LocalAudio(session), SessionId(), 1);
        if (result is SdpAnswerResult.Rejected rejected)
        {
            _cleanups.Add(session.DisposeAsync().AsTask());
            leg.Rejection = (CallCloseReason.ChannelError, rejected.SipStatusCode, rejected.Reason);
            call.Reject(rejected.SipStatusCode, "Not Acceptable Here");
            return Task.CompletedTask;
        }

        var accepted = (SdpAnswerResult.Accepted)result;
        StartMedia(leg, session, accepted.Audio);
        call.Answer(accepted.Answer.ToString());
        Publish(new CallEvent.Answered(id, accepted.Audio.Codec.Name, Now));
        return Task.CompletedTask;
    }

    public Task RejectAsync(CallLegId id, RejectCause cause)
    {
        var leg = Get(id);
        var call = leg.Incoming ?? throw new InvalidOperationException($"{id} is an outgoing leg; hang it up instead.");
        var status = CallCloseReasons.StatusFor(cause);
        // Refusing a caller is the platform's decision, not a failure of either party: Other, with the cause in the detail.
        leg.Rejection = (CallCloseReason.Other, status, $"rejected: {cause}");
        call.Reject(status);
        return Task.CompletedTask;
    }

    public Task HangUpAsync(CallLegId id, CallCloseReason reason = CallCloseReason.Normal)
    {
        if (!_legs.TryGetValue(id.Value, out var leg))
        {
            return Task.CompletedTask;
        }

        leg.RequestedReason ??= reason;
        if (leg.Incoming is { } incoming)
        {
            if (incoming.IsAnswered)
            {
                incoming.HangUp();
            }
            else
            {
                leg.Rejection = (reason, 480, "hung up before answer");
                incoming.Reject(480);
            }
        }
        else if (leg.Outgoing is { } outgoing)
        {
            if (outgoing.Dialog is null)
            {
                outgoing.Cancel();
            }
            else
            {
                outgoing.HangUp();
            }
        }

        return Task.CompletedTask;
    }

    public async Task BridgeAsync(CallLegId a, CallLegId b)
    {
        var first = Get(a);
        var second = Get(b);
        var mediaA = first.Media ?? throw new InvalidOperationException($"{a} is not answered.");
        var mediaB = second.Media ?? throw new InvalidOperationException($"{b} is not answered.");
        await UnbridgeAsync(a).ConfigureAwait(false);
        await UnbridgeAsync(b).ConfigureAwait(false);
        var bridge = MediaBridge.Connect(mediaA, mediaB);
        lock (first)
        {
            first.Bridge = bridge;
            first.Partner = second;
        }

        lock (second)
        {
            second.Bridge = bridge;
            second.Partner = first;
        }
    }

    public async Task UnbridgeAsync(CallLegId id)
    {
        if (_legs.TryGetValue(id.Value, out var leg))
        {
            await UnbridgeAsync(leg).ConfigureAwait(false);
        }
    }

    public async Task<PlaybackResult> PlayFileAsync(CallLegId id, string wavPath, CancellationToken stop = default)
    {
        var leg = Get(id);
        var media = leg.Media ?? throw new InvalidOperationException($"{id} is not answered.");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, leg.Lifetime.Token);
        return await media.PlayWavAsync(wavPath, linked.Token).ConfigureAwait(false);
    }

    public async Task<PlaybackResult> PlayStreamAsync(CallLegId id, Stream pcm16, CancellationToken stop = default)
    {
        var leg = Get(id);
        var media = leg.Media ?? throw new InvalidOperationException($"{id} is not answered.");
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, leg.Lifetime.Token);
        return await media.PlayStreamAsync(pcm16, linked.Token).ConfigureAwait(false);
    }

    public Task<ICallRecording> RecordLegAsync(CallLegId id, string wavPath)
    {
        var media = Get(id).Media ?? throw new InvalidOperationException($"{id} is not answered.");
        return Task.FromResult<ICallRecording>(new SingleLegRecording(media.StartRecording(wavPath)));
    }

    public Task<ICallRecording> RecordBridgeAsync(CallLegId id, string wavPath)
    {
        var leg = Get(id);
        var partner = leg.Partner ?? throw new InvalidOperationException($"{id} is not bridged.");
        var mediaA = leg.Media ?? throw new InvalidOperationException($"{id} is not answered.");
        var mediaB = partner.Media ?? throw new InvalidOperationException($"{partner.Id} is not answered.");
        return Task.FromResult<ICallRecording>(BridgeRecording.Start(mediaA, mediaB, wavPath));
    }

    public async Task<string> CollectDigitsAsync(CallLegId id, DigitCollection collection, CancellationToken cancellationToken = default)
    {
        var leg = Get(id);
        var digits = new StringBuilder();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, leg.Lifetime.Token);
        while (digits.Length < collection.MaxDigits)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(linked.Token);
            wait.CancelAfter(digits.Length == 0 ? collection.FirstDigitTimeout : collection.InterDigitTimeout);
            char digit;
            try
            {
                digit = await leg.Digits.Reader.ReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (ChannelClosedException)
            {
                break;
            }

            if (digit == collection.Terminator)
            {
                break;
            }

            digits.Append(digit);
        }

        return digits.ToString();
    }

    public Task SendDtmfAsync(CallLegId id, string digits)
    {
        var media = Get(id).Media ?? throw new InvalidOperationException($"{id} is not answered.");
        media.SendDtmf(digits);
        return Task.CompletedTask;
    }

    public async Task<bool> BlindTransferAsync(CallLegId id, string target, CancellationToken cancellationToken = default)
    {
        var leg = Get(id);
        var ours = SipNameAddress.TryParse(_uas.ContactUri)!.Uri;
        var headers = new[]
        {
            new SipHeader("Refer-To", $"<{target}>"),
            new SipHeader("Referred-By", $"<{ours}>"),
        };
        var transaction = (leg.Incoming?.SendInDialog("REFER", headers) ?? leg.Outgoing?.SendInDialog("REFER", headers))
            ?? throw new InvalidOperationException($"{id} is not connected.");
        var response = await transaction.FinalResponse.WaitAsync(cancellationToken).ConfigureAwait(false);
        // RFC 3515 §2.4.2: 202 Accepted; a peer without REFER support answers 405/501.
        var accepted = response.IsSuccess;
        Publish(new CallEvent.TransferResult(id, accepted, target, Now));
        return accepted;
    }

    public ChannelReader<AudioFrame> InboundAudio(CallLegId id) =>
        (Get(id).Media ?? throw new InvalidOperationException($"{id} is not answered.")).Inbound;

    public MediaLeg Media(CallLegId id) =>
        Get(id).Media ?? throw new InvalidOperationException($"{id} is not answered.");

    public async ValueTask DisposeAsync()
    {
        _uas.IncomingCall -= OnIncoming;
        foreach (var leg in _legs.Values)
        {
            await HangUpAsync(leg.Id).ConfigureAwait(false);
            Finish(leg, CallCloseReason.Normal, CallEndedBy.Local, null, "call control stopped");
        }

        await Task.WhenAll(_cleanups).ConfigureAwait(false);
        _events.Writer.TryComplete();
    }

    private Leg NewLeg(CallLegRole role)
    {
        var leg = new Leg(new CallLegId(Interlocked.Increment(ref _nextLeg)), role);
        _legs[leg.Id.Value] = leg;
        return leg;
    }

    private Leg Get(CallLegId id) =>
        _legs.TryGetValue(id.Value, out var leg) ? leg : throw new InvalidOperationException($"{id} does not exist or has ended.");

    private SipIncomingCall Incoming(CallLegId id) =>
        Get(id).Incoming ?? throw new InvalidOperationException($"{id} is an outgoing leg.");

    private LocalAudio LocalAudio(RtpSession session) => new(_options.MediaAddress, session.LocalRtp.Port, _options.Codecs);

    private static ulong SessionId() => (ulong)Random.Shared.NextInt64(1, long.MaxValue);

    private void Publish(CallEvent e)
    {
        if (!_events.Writer.TryWrite(e))
        {
            Interlocked.Increment(ref _eventsDropped);
        }
    }

    private void StartMedia(Leg leg, RtpSession session, NegotiatedAudio audio)
    {
        session.Configure(RtpSessionParameters.From(audio));
        var media = new MediaLeg(session, _clock, time: _options.Time);
        leg.Media = media;
        leg.MediaPump = PumpMediaEventsAsync(leg, media);
    }

    private async Task PumpMediaEventsAsync(Leg leg, MediaLeg media)
    {
        await foreach (var e in media.Events.ReadAllAsync().ConfigureAwait(false))
        {
            if (e is MediaEvent.DtmfReceived dtmf)
            {
                OnDigit(leg, dtmf.Digit, dtmf.DurationMs, DtmfTransport.Rfc4733);
            }
        }
    }

    private void OnDigit(Leg leg, char digit, int durationMs, DtmfTransport transport)
    {
        leg.Digits.Writer.TryWrite(digit);
        Publish(new CallEvent.DtmfReceived(leg.Id, digit, durationMs, transport, Now));
    }

    private void OnInfo(Leg leg, SipRequest info)
    {
        var body = info.Body.IsEmpty ? null : Encoding.UTF8.GetString(info.Body.Span);
        if (SipInfoDtmf.TryParse(info.GetHeader(SipHeaderNames.ContentType), body, out var digit, out var duration))
        {
            OnDigit(leg, digit, duration, DtmfTransport.SipInfo);
        }
    }

    /// <summary>RFC 3515 §2.4.5: a refer NOTIFY carries a message/sipfrag status line of the transferee's new call.</summary>
    private void OnNotify(Leg leg, SipRequest notify)
    {
        var package = notify.GetHeader("Event") ?? notify.GetHeader("o");
        if (package is null || !package.TrimStart().StartsWith("refer", StringComparison.OrdinalIgnoreCase) || notify.Body.IsEmpty)
        {
            return;
        }

        var statusLine = Encoding.UTF8.GetString(notify.Body.Span).Split('\n')[0].Trim();
        var parts = statusLine.Split(' ', 3);
        if (parts.Length >= 2 && parts[0].StartsWith("SIP/", StringComparison.OrdinalIgnoreCase) && int.TryParse(parts[1], out var status))
        {
            Publish(new CallEvent.TransferProgress(leg.Id, status, status >= 200, Now));
        }
    }

    private void OnIncoming(SipIncomingCall call)
    {
        var leg = NewLeg(CallLegRole.A);
        leg.Incoming = call;
        call.Ended += (_, reason) => OnIncomingEnded(leg, reason);
        call.InfoReceived += (_, info) => OnInfo(leg, info);
        call.NotifyReceived += (_, notify) => OnNotify(leg, notify);
        var from = call.Invite.From;
        Publish(new CallEvent.Incoming(leg.Id, from is null ? string.Empty : UserOf(from.Uri), from?.DisplayName, UserOf(call.Invite.RequestUri), Now));
    }

    private void OnIncomingEnded(Leg leg, SipCallEndReason reason)
    {
        switch (reason)
        {
            case SipCallEndReason.Rejected:
                var (closeReason, status, detail) = leg.Rejection ?? (CallCloseReason.Other, 0, "rejected");
                Finish(leg, closeReason, CallEndedBy.Local, status, detail);
                break;
            case SipCallEndReason.CallerCancelled:
                Finish(leg, CallCloseReason.Normal, CallEndedBy.Remote, 487, "caller cancelled before answer");
                break;
            case SipCallEndReason.CallerHungUp:
                Finish(leg, CallCloseReason.Normal, CallEndedBy.Remote, null, "caller hung up (BYE)");
                break;
            case SipCallEndReason.WeHungUp:
                Finish(leg, leg.RequestedReason ?? CallCloseReason.Normal, CallEndedBy.Local, null, "we hung up (BYE)");
                break;
            case SipCallEndReason.AckTimedOut:
                Finish(leg, CallCloseReason.NetworkError, CallEndedBy.Local, 408, "no ACK for our 200 OK (RFC 3261 §13.3.1.4)");
                break;
        }
    }

    private void OnProvisional(Leg leg, int status)
    {
        if (status is 180 or 183 && Interlocked.Exchange(ref leg.RingingReported, 1) == 0)
        {
            Publish(new CallEvent.Ringing(leg.Id, status == 183, Now));
        }
    }

    private void OnOutgoingFinal(Leg leg, SipResponse response)
    {
        if (!response.IsSuccess)
        {
            if (leg.RequestedReason is { } requested && response.StatusCode == 487)
            {
                Finish(leg, requested, CallEndedBy.Local, 487, requested == CallCloseReason.BUnreachable ? "no answer before the ring timeout" : "cancelled by us");
            }
            else
            {
                Finish(leg, CallCloseReasons.FromFinalStatus(response.StatusCode, CallLegRole.B), CallEndedBy.Remote, response.StatusCode, response.ReasonPhrase);
            }

            return;
        }

        if (leg.RequestedReason is not null || Volatile.Read(ref leg.Finished) != 0)
        {
            // Our CANCEL crossed the callee's 200 (RFC 3261 §9.1): the call exists, so end it with BYE.
            leg.Outgoing!.HangUp();
            Finish(leg, leg.RequestedReason ?? CallCloseReason.Normal, CallEndedBy.Local, response.StatusCode, "answered after we gave up; BYE sent");
            return;
        }

        var session = leg.Rtp!;
        var body = leg.Outgoing!.RemoteBody;
        SdpAnswerResult result = body is not null && SdpParser.TryParse(body, out var answer, out _)
            ? SdpOfferAnswer.ReadAnswer(leg.Offer!, answer!, leg.LocalAudio!)
            : new SdpAnswerResult.Rejected("no acceptable media: the 200 OK carried no SDP answer");
        if (result is SdpAnswerResult.Rejected rejected)
        {
            leg.RequestedReason = CallCloseReason.ChannelError;
            leg.Outgoing.HangUp();
            Finish(leg, CallCloseReason.ChannelError, CallEndedBy.Local, response.StatusCode, rejected.Reason);
            return;
        }

        var audio = ((SdpAnswerResult.Accepted)result).Audio;
        StartMedia(leg, session, audio);
        leg.Rtp = null;
        Publish(new CallEvent.Answered(leg.Id, audio.Codec.Name, Now));
    }

    private void OnOutgoingEnded(Leg leg, SipOutgoingCallEnd end)
    {
        switch (end)
        {
            case SipOutgoingCallEnd.WeHungUp:
                Finish(leg, leg.RequestedReason ?? CallCloseReason.Normal, CallEndedBy.Local, null, "we hung up (BYE)");
                break;
            case SipOutgoingCallEnd.RemoteHungUp:
                Finish(leg, CallCloseReason.Normal, CallEndedBy.Remote, null, "called party hung up (BYE)");
                break;
            default:
                // Failed and Cancelled are reported from the final response, which carries the status.
                break;
        }
    }

    private async Task CancelUnansweredAsync(Leg leg, TimeSpan ringTimeout)
    {
        try
        {
            await Task.Delay(ringTimeout, _options.Time, leg.Lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (leg.Outgoing is { Dialog: null } call && !call.Answered.IsCompleted)
        {
            leg.RequestedReason ??= CallCloseReason.BUnreachable;
            call.Cancel();
        }
    }

    private void Finish(Leg leg, CallCloseReason reason, CallEndedBy by, int? code, string detail)
    {
        if (Interlocked.Exchange(ref leg.Finished, 1) != 0)
        {
            return;
        }

        _legs.TryRemove(leg.Id.Value, out _);
        leg.Lifetime.Cancel();
        leg.Digits.Writer.TryComplete();
        _cleanups.Add(ReleaseAsync(leg));
        Publish(new CallEvent.Hungup(leg.Id, reason, by, code is 0 ? null : code, detail, Now));
    }

    private async Task ReleaseAsync(Leg leg)
    {
        await StopMonitoringAsync(leg).ConfigureAwait(false);
        await UnbridgeAsync(leg).ConfigureAwait(false);
        if (leg.Media is { } media)
        {
            await media.DisposeAsync().ConfigureAwait(false);
        }

        if (leg.Rtp is { } unanswered)
        {
            await unanswered.DisposeAsync().ConfigureAwait(false);
        }

        if (leg.MediaPump is { } pump)
        {
            await pump.ConfigureAwait(false);
        }
    }

    private static async Task UnbridgeAsync(Leg leg)
    {
        MediaBridge? bridge;
        Leg? partner;
        lock (leg)
        {
            bridge = leg.Bridge;
            partner = leg.Partner;
            leg.Bridge = null;
            leg.Partner = null;
        }

        if (partner is not null)
        {
            lock (partner)
            {
                if (ReferenceEquals(partner.Bridge, bridge))
                {
                    partner.Bridge = null;
                    partner.Partner = null;
                }
            }
        }

        if (bridge is not null)
        {
            await bridge.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static string UserOf(SipAnyUri uri) => uri switch
    {
        SipUri { User: { } user } => user,
        TelUri tel => tel.Number,
        _ => uri.Text,
    };

    /// <summary>What call control keeps about one leg.</summary>
    private sealed class Leg(CallLegId id, CallLegRole role)
    {
        public CallLegId Id { get; } = id;

        public CallLegRole Role { get; } = role;

        public SipIncomingCall? Incoming { get; set; }

        public SipOutgoingCall? Outgoing { get; set; }

        /// <summary>An originated leg's RTP session until the answer arrives (then owned by <see cref="Media"/>).</summary>
        public RtpSession? Rtp { get; set; }

        public LocalAudio? LocalAudio { get; set; }

        public SessionDescription? Offer { get; set; }

        public MediaLeg? Media { get; set; }

        public Task? MediaPump { get; set; }

        public MediaBridge? Bridge { get; set; }

        public Leg? Partner { get; set; }

        /// <summary>The bridge this leg monitors (listen, whisper or barge), if any.</summary>
        public MediaBridge? Monitoring { get; set; }

        public CallCloseReason? RequestedReason { get; set; }

        public (CallCloseReason Reason, int Status, string Detail)? Rejection { get; set; }

        public CancellationTokenSource Lifetime { get; } = new();

        /// <summary>Digits waiting for a collector (type-ahead); a bounded window, the oldest dropped.</summary>
        public Channel<char> Digits { get; } = Channel.CreateBounded<char>(new BoundedChannelOptions(32) { FullMode = BoundedChannelFullMode.DropOldest });

        public int RingingReported;

        public int Finished;
    }
}
