using System.Globalization;
using System.Net;
using Aicc.Telephony.Codecs;

namespace Aicc.Telephony.Sdp;

/// <summary>
/// What our side offers or accepts for audio: where we receive RTP, our codec preference,
/// the payload type we use for telephone-event (RFC 4733) in our own offers, and what we want
/// to do (sendrecv normally).
/// </summary>
public sealed record LocalAudio(
    IPAddress Address,
    int RtpPort,
    IReadOnlyList<AudioCodec> Codecs,
    int TelephoneEventPayloadType = 101,
    MediaDirection Direction = MediaDirection.SendRecv,
    string Username = "aicc");

/// <summary>
/// The agreed audio of a call leg, as the RTP session needs it: codec and its payload type,
/// the telephone-event payload type (null when the peer did not agree to RFC 4733), where to send
/// RTP and RTCP, our direction and the packet time.
/// </summary>
public sealed record NegotiatedAudio(
    AudioCodec Codec,
    int CodecPayloadType,
    int? TelephoneEventPayloadType,
    IPEndPoint RemoteRtp,
    IPEndPoint RemoteRtcp,
    MediaDirection LocalDirection,
    int PtimeMs);

/// <summary>The outcome of answering an offer (RFC 3264 §6).</summary>
public abstract record SdpAnswerResult
{
    private SdpAnswerResult()
    {
    }

    /// <summary>An answer to put in the 200 OK and the media it sets up.</summary>
    public sealed record Accepted(SessionDescription Answer, NegotiatedAudio Audio) : SdpAnswerResult;

    /// <summary>Nothing acceptable: the INVITE is refused with 488 Not Acceptable Here (RFC 3261 §21.4.26).</summary>
    public sealed record Rejected(string Reason) : SdpAnswerResult
    {
        public int SipStatusCode => 488;
    }
}

/// <summary>
/// RFC 3264 offer/answer for one audio stream of G.711 plus telephone-event. Exists so the SIP
/// user agents decide media with pure functions: build an offer, answer an offer (or say why
/// not, for a 488), read the answer to our offer, and build hold/unhold re-offers (§8.4).
/// </summary>
public static class SdpOfferAnswer
{
    /// <summary>RFC 4733 §3.2: events 0-15 are the DTMF digits, 16 is flash.</summary>
    public const string TelephoneEventFormats = "0-16";

    private const string Profile = "RTP/AVP";

    /// <summary>Builds an offer listing our codecs in preference order plus telephone-event (RFC 3264 §5).</summary>
    public static SessionDescription CreateOffer(LocalAudio local, ulong sessionId, ulong sessionVersion)
    {
        if (local.Codecs.Count == 0)
        {
            throw new ArgumentException("An offer needs at least one codec.", nameof(local));
        }
        var formats = local.Codecs.Select(c => c.PayloadType.ToString(CultureInfo.InvariantCulture)).ToList();
        var attributes = local.Codecs.Select(c => new SdpAttribute("rtpmap", $"{c.PayloadType} {c.Name}/{c.ClockRate}")).ToList();
        formats.Add(local.TelephoneEventPayloadType.ToString(CultureInfo.InvariantCulture));
        attributes.Add(new SdpAttribute("rtpmap", $"{local.TelephoneEventPayloadType} telephone-event/8000"));
        attributes.Add(new SdpAttribute("fmtp", $"{local.TelephoneEventPayloadType} {TelephoneEventFormats}"));
        attributes.AddRange(CommonAttributes(local.RtpPort, local.Direction));
        return Describe(local, sessionId, sessionVersion, [new SdpMedia("audio", local.RtpPort, null, Profile, formats, null, attributes, [])]);
    }

    /// <summary>
    /// Answers an offer (RFC 3264 §6): one m= line per offered one; the first usable audio stream
    /// gets the first codec of OUR preference list that the offer contains, plus telephone-event with
    /// the offerer's payload type; every other stream is refused with port 0.
    /// </summary>
    public static SdpAnswerResult Answer(SessionDescription offer, LocalAudio local, ulong sessionId, ulong sessionVersion)
    {
        var answered = new List<SdpMedia>(offer.Media.Count);
        NegotiatedAudio? audio = null;
        string? reason = null;
        foreach (var media in offer.Media)
        {
            var why = "only one audio stream is used";
            if (audio is null && TryAccept(offer, media, local, out var accepted, out why))
            {
                audio = accepted;
                answered.Add(AnswerMedia(local, accepted));
            }
            else
            {
                reason ??= why;
                answered.Add(media with
                {
                    Port = 0,
                    PortCount = null,
                    Connection = null,
                    Attributes = [],
                    OtherLines = [],
                });
            }
        }
        if (audio is null)
        {
            return new SdpAnswerResult.Rejected($"no acceptable media: {reason ?? "no media offered"}");
        }
        return new SdpAnswerResult.Accepted(Describe(local, sessionId, sessionVersion, answered), audio);
    }

    /// <summary>
    /// Reads the answer to one of our offers: the codec the answerer chose (it must be one we
    /// offered, RFC 3264 §6.1), its telephone-event type, its address and direction.
    /// </summary>
    public static SdpAnswerResult ReadAnswer(SessionDescription offer, SessionDescription answer, LocalAudio local)
    {
        if (answer.Media.Count != offer.Media.Count)
        {
            return new SdpAnswerResult.Rejected("no acceptable media: the answer's m= lines do not match the offer's (RFC 3264 §6)");
        }
        for (var i = 0; i < answer.Media.Count; i++)
        {
            var media = answer.Media[i];
            var ours = offer.Media[i];
            if (media.Port == 0 || media.MediaType != "audio")
            {
                continue;
            }
            var offeredCodecs = ours.PayloadTypes().ToHashSet();
            var restricted = local with { Codecs = local.Codecs.Where(c => offeredCodecs.Contains(c.PayloadType)).ToList() };
            if (TryAccept(answer, media, restricted, out var accepted, out var why, preferPeerOrder: true))
            {
                return new SdpAnswerResult.Accepted(answer, accepted);
            }
            return new SdpAnswerResult.Rejected($"no acceptable media: {why}");
        }
        return new SdpAnswerResult.Rejected("no acceptable media: the answer refused every stream");
    }

    /// <summary>
    /// A re-offer that puts the call on hold (RFC 3264 §8.4): sendonly if we were sending and
    /// receiving, inactive if we were only receiving; same session id, version plus one (§8).
    /// </summary>
    public static SessionDescription Hold(SessionDescription previousLocal) =>
        Redirect(previousLocal, d => d.Receives() && d.Sends() ? MediaDirection.SendOnly : d == MediaDirection.RecvOnly ? MediaDirection.Inactive : d);

    /// <summary>A re-offer that takes the call off hold: sendrecv again, version plus one.</summary>
    public static SessionDescription Resume(SessionDescription previousLocal) => Redirect(previousLocal, _ => MediaDirection.SendRecv);

    private static SessionDescription Redirect(SessionDescription previous, Func<MediaDirection, MediaDirection> change)
    {
        var media = previous.Media.Select(m =>
        {
            if (m.Port == 0)
            {
                return m;
            }
            var next = change(m.Direction(previous));
            var attributes = m.Attributes.Where(a => MediaDirections.FromAttributeName(a.Name) is null).ToList();
            attributes.Add(new SdpAttribute(next.ToAttributeName(), null));
            return m with { Attributes = attributes };
        }).ToList();
        var sessionAttributes = previous.Attributes.Where(a => MediaDirections.FromAttributeName(a.Name) is null).ToList();
        return previous with
        {
            Origin = previous.Origin with { SessionVersion = previous.Origin.SessionVersion + 1 },
            Attributes = sessionAttributes,
            Media = media,
        };
    }

    private static bool TryAccept(
        SessionDescription session,
        SdpMedia media,
        LocalAudio local,
        out NegotiatedAudio accepted,
        out string reason,
        bool preferPeerOrder = false)
    {
        accepted = null!;
        if (media.MediaType != "audio")
        {
            reason = $"{media.MediaType} is not supported";
            return false;
        }
        if (media.Port == 0)
        {
            reason = "the audio stream is disabled (port 0)";
            return false;
        }
        if (media.Protocol != Profile)
        {
            reason = $"transport {media.Protocol} is not supported (only {Profile})";
            return false;
        }
        var remote = media.RtpEndPoint(session);
        if (remote is null)
        {
            reason = "the connection address is not an IP address";
            return false;
        }
        var offered = media.PayloadTypes().Select(pt => (pt, map: media.RtpMapFor(pt))).Where(x => x.map is not null).ToList();
        var candidates = offered
            .Select(x => (x.pt, codec: AudioCodec.FromName(x.map!.EncodingName, x.map.ClockRate)))
            .Where(x => x.codec is not null && local.Codecs.Contains(x.codec))
            .ToList();
        if (candidates.Count == 0)
        {
            reason = "no common codec (we support " + string.Join(", ", local.Codecs.Select(c => c.Name)) + ")";
            return false;
        }
        var chosen = preferPeerOrder
            ? candidates[0]
            : candidates.OrderBy(x => IndexOf(local.Codecs, x.codec!)).First();
        int? telephoneEvent = offered
            .Where(x => string.Equals(x.map!.EncodingName, "telephone-event", StringComparison.OrdinalIgnoreCase) && x.map.ClockRate == 8000)
            .Select(x => (int?)x.pt)
            .FirstOrDefault();
        var direction = MediaDirections.Answering(media.Direction(session), local.Direction);
        accepted = new NegotiatedAudio(
            chosen.codec!,
            chosen.pt,
            telephoneEvent,
            remote,
            media.RtcpEndPoint(session)!,
            preferPeerOrder ? Mirror(media.Direction(session)) : direction,
            media.Ptime() ?? 20);
        reason = "";
        return true;
    }

    // In an answer the author's direction is the peer's; ours is its mirror image.
    private static MediaDirection Mirror(MediaDirection theirs) => MediaDirections.From(theirs.Receives(), theirs.Sends());

    private static int IndexOf(IReadOnlyList<AudioCodec> codecs, AudioCodec codec)
    {
        for (var i = 0; i < codecs.Count; i++)
        {
            if (codecs[i] == codec)
            {
                return i;
            }
        }
        return int.MaxValue;
    }

    private static SdpMedia AnswerMedia(LocalAudio local, NegotiatedAudio audio)
    {
        var formats = new List<string> { audio.CodecPayloadType.ToString(CultureInfo.InvariantCulture) };
        var attributes = new List<SdpAttribute> { new("rtpmap", $"{audio.CodecPayloadType} {audio.Codec.Name}/{audio.Codec.ClockRate}") };
        if (audio.TelephoneEventPayloadType is { } te)
        {
            formats.Add(te.ToString(CultureInfo.InvariantCulture));
            attributes.Add(new SdpAttribute("rtpmap", $"{te} telephone-event/8000"));
            attributes.Add(new SdpAttribute("fmtp", $"{te} {TelephoneEventFormats}"));
        }
        attributes.AddRange(CommonAttributes(local.RtpPort, audio.LocalDirection));
        return new SdpMedia("audio", local.RtpPort, null, Profile, formats, null, attributes, []);
    }

    private static IEnumerable<SdpAttribute> CommonAttributes(int rtpPort, MediaDirection direction) =>
    [
        new SdpAttribute("ptime", "20"),
        new SdpAttribute("rtcp", (rtpPort + 1).ToString(CultureInfo.InvariantCulture)),
        new SdpAttribute(direction.ToAttributeName(), null),
    ];

    private static SessionDescription Describe(LocalAudio local, ulong sessionId, ulong sessionVersion, IReadOnlyList<SdpMedia> media)
    {
        var connection = SdpConnection.For(local.Address);
        return new SessionDescription(
            new SdpOrigin(local.Username, sessionId, sessionVersion, connection.NetworkType, connection.AddressType, connection.Address),
            "aicc",
            connection,
            SdpTiming.Unbounded,
            [],
            media,
            []);
    }
}
