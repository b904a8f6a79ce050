using Aicc.Telephony.Sip.Dialogs;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transactions;
using Aicc.Telephony.Sip.Transport;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>
/// The UAS core (RFC 3261 §8.2, §11, §12-§15): validates every new request, answers OPTIONS,
/// hands REGISTER to the registrar, turns INVITEs into <see cref="SipIncomingCall"/>s and
/// routes ACK, BYE, INFO and CANCEL to the call they belong to.
/// </summary>
public sealed class SipUserAgentServer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, ISipDialogUsage> _callsByDialog = new(StringComparer.Ordinal);
    private readonly Func<SipTransportKind, string> _newVia;

    public SipUserAgentServer(SipTransactionLayer transactions, TimeProvider time, SipUasPolicy policy, string contactUri, Func<SipTransportKind, string> newVia, SipRegistrar? registrar = null)
    {
        Transactions = transactions;
        Time = time;
        Policy = policy;
        ContactUri = contactUri;
        _newVia = newVia;
        Registrar = registrar;
        transactions.RequestReceived += OnRequest;
        transactions.AckReceived += OnAck;
        transactions.StrayResponseReceived += OnStrayResponse;
    }

    /// <summary>Wires a UAS to a running stack, with our Contact on its first UDP address.</summary>
    public static SipUserAgentServer On(SipStack stack, TimeProvider time, SipUasPolicy? policy = null, SipRegistrar? registrar = null, string user = "aicc")
    {
        var endPoint = stack.UdpEndPoints.Count > 0 ? stack.UdpEndPoints[0] : stack.TcpEndPoints[0];
        var host = endPoint.Address.Equals(System.Net.IPAddress.Any) ? System.Net.IPAddress.Loopback : endPoint.Address;
        return new SipUserAgentServer(stack.Transactions, time, policy ?? SipUasPolicy.Default, $"<sip:{user}@{new System.Net.IPEndPoint(host, endPoint.Port)}>", stack.NewViaValue, registrar);
    }

    public SipTransactionLayer Transactions { get; }

    public TimeProvider Time { get; }

    public SipTimers Timers => Transactions.Timers;

    public SipUasPolicy Policy { get; }

    public string ContactUri { get; }

    public SipRegistrar? Registrar { get; }

    /// <summary>
    /// When set, REGISTER must carry valid Digest credentials (RFC 3261 §22) of the user whose
    /// address-of-record it binds; without it the registrar accepts anyone (tests, trusted networks).
    /// </summary>
    public Authentication.DigestAuthenticator? RegisterAuthenticator { get; set; }

    public int ActiveCalls
    {
        get
        {
            lock (_gate)
            {
                return _callsByDialog.Count;
            }
        }
    }

    /// <summary>A validated INVITE: ring, answer or reject it. Unhandled calls are answered 480.</summary>
    public event Action<SipIncomingCall>? IncomingCall;

    internal string NewVia(SipTransportKind kind) => _newVia(kind);

    /// <summary>Headers every dialog-creating response carries: Contact, Record-Route echoed (§12.1.1), Allow, Supported.</summary>
    internal IReadOnlyList<SipHeader> DialogHeaders(SipRequest invite)
    {
        var headers = new List<SipHeader> { new(SipHeaderNames.Contact, ContactUri) };
        headers.AddRange(invite.Headers.Where(h => h.Is(SipHeaderNames.RecordRoute)).Select(h => new SipHeader(SipHeaderNames.RecordRoute, h.Value)));
        headers.Add(new SipHeader(SipHeaderNames.Allow, Policy.AllowHeader));
        return headers;
    }

    internal void Forget(SipIncomingCall call) => Forget(call.Dialog.Id);

    internal void Forget(string dialogId)
    {
        lock (_gate)
        {
            _callsByDialog.Remove(dialogId);
        }
    }

    /// <summary>Makes in-dialog requests for a dialog we created as UAC reach its call.</summary>
    internal void Adopt(string dialogId, ISipDialogUsage usage)
    {
        lock (_gate)
        {
            _callsByDialog[dialogId] = usage;
        }
    }

    private void OnRequest(SipServerTransaction transaction)
    {
        var request = transaction.Request;
        var toTag = request.To?.Tag ?? SipTransactionLayer.NewTag();
        var rejection = SipRequestValidator.Check(request, Policy, toTag);
        if (rejection is not null)
        {
            transaction.Respond(rejection);
            return;
        }

        switch (request.Method)
        {
            case "OPTIONS":
                // §11.2: what we support, without a body.
                transaction.Respond(SipResponse.For(request, SipStatus.Ok, toTag: toTag, extraHeaders:
                [
                    new SipHeader(SipHeaderNames.Allow, Policy.AllowHeader),
                    new SipHeader(SipHeaderNames.Accept, string.Join(", ", Policy.AcceptedContentTypes)),
                    new SipHeader(SipHeaderNames.Supported, string.Join(", ", Policy.SupportedExtensions)),
                ]));
                break;
            case "REGISTER" when Registrar is not null && RegisterAuthenticator is not null:
                _ = AuthenticateAndRegisterAsync(transaction, RegisterAuthenticator, Registrar, toTag);
                break;
            case "REGISTER":
                transaction.Respond(Registrar is null
                    ? SipResponse.For(request, SipStatus.MethodNotAllowed, toTag: toTag, extraHeaders: [new SipHeader(SipHeaderNames.Allow, Policy.AllowHeader)])
                    : Registrar.Handle(request, toTag));
                break;
            case "INVITE":
                OnInvite(transaction, toTag);
                break;
            case "BYE":
            case "INFO":
            case "NOTIFY":
                var call = FindCall(request);
                if (call is null)
                {
                    transaction.Respond(SipResponse.For(request, SipStatus.CallOrTransactionDoesNotExist, toTag: toTag));
                }
                else if (!call.AcceptRemoteSequence(request.CSeq!.Number))
                {
                    transaction.Respond(SipResponse.For(request, SipStatus.ServerInternalError, "CSeq out of order"));
                }
                else if (request.Method == "BYE")
                {
                    call.OnBye(transaction);
                }
                else if (request.Method == "NOTIFY")
                {
                    call.OnNotify(transaction);
                }
                else
                {
                    call.OnInfo(transaction);
                }

                break;
            default:
                transaction.Respond(SipResponse.For(request, SipStatus.MethodNotAllowed, toTag: toTag, extraHeaders: [new SipHeader(SipHeaderNames.Allow, Policy.AllowHeader)]));
                break;
        }
    }

    private static async Task AuthenticateAndRegisterAsync(SipServerTransaction transaction, Authentication.DigestAuthenticator authenticator, SipRegistrar registrar, string toTag)
    {
        var request = transaction.Request;
        SipResponse response;
        try
        {
            var verdict = await authenticator.CheckAsync(request, toTag).ConfigureAwait(false);
            response = verdict switch
            {
                Authentication.DigestVerdict.Refused refused => refused.Response,
                // §10.3 step 3: a user may only bind its own address-of-record.
                Authentication.DigestVerdict.Authenticated ok when request.To?.Uri is SipUri { User: { } user } && !string.Equals(SipUri.Unescape(user), ok.User, StringComparison.Ordinal)
                    => SipResponse.For(request, SipStatus.Forbidden, "Not your address-of-record", toTag),
                _ => registrar.Handle(request, toTag),
            };
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The credential store failed: tell the phone to retry later rather than dropping the request.
            response = SipResponse.For(request, SipStatus.ServerInternalError, "Credential lookup failed", toTag);
        }

        transaction.Respond(response);
    }

    private void OnInvite(SipServerTransaction transaction, string toTag)
    {
        var request = transaction.Request;
        if (request.To?.Tag is not null)
        {
            // A re-INVITE inside an existing dialog goes to its call (§14.2); unknown dialogs get 481 (§12.2.2).
            var existing = FindCall(request);
            if (existing is null)
            {
                transaction.Respond(SipResponse.For(request, SipStatus.CallOrTransactionDoesNotExist, toTag: toTag));
            }
            else if (!existing.AcceptRemoteSequence(request.CSeq!.Number))
            {
                transaction.Respond(SipResponse.For(request, SipStatus.ServerInternalError, "CSeq out of order"));
            }
            else
            {
                existing.OnReInvite(transaction);
            }

            return;
        }

        var dialog = SipDialog.ForUas(request, toTag);
        if (dialog is null)
        {
            transaction.Respond(SipResponse.For(request, SipStatus.BadRequest, "Missing dialog identifiers", toTag));
            return;
        }

        var call = new SipIncomingCall(this, transaction, dialog);
        lock (_gate)
        {
            _callsByDialog[dialog.Id] = call;
        }

        transaction.Cancelled += _ => call.OnCancel();

        var handler = IncomingCall;
        if (handler is null)
        {
            call.Reject(SipStatus.TemporarilyUnavailable);
            return;
        }

        handler(call);
    }

    private void OnAck(SipRequest ack, SipRemote source) => FindCall(ack)?.OnAck();

    /// <summary>2xx retransmissions for our INVITEs (From tag is ours) go back to their call to be ACKed again.</summary>
    private void OnStrayResponse(SipResponse response, SipRemote source)
    {
        if (!response.IsSuccess || response.CSeq?.Method != "INVITE" || response.CallId is null || response.From?.Tag is null || response.To?.Tag is null)
        {
            return;
        }

        ISipDialogUsage? usage;
        lock (_gate)
        {
            usage = _callsByDialog.GetValueOrDefault(SipDialog.DialogId(response.CallId, response.From.Tag, response.To.Tag));
        }

        usage?.OnStray2xx(response);
    }

    private ISipDialogUsage? FindCall(SipRequest request)
    {
        if (request.CallId is null || request.To?.Tag is null || request.From is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _callsByDialog.GetValueOrDefault(SipDialog.DialogId(request.CallId, request.To.Tag, request.From.Tag ?? string.Empty));
        }
    }
}
