using System.Globalization;
using Aicc.Telephony.Sip.Messages;
using Aicc.Telephony.Sip.Transport;
using Aicc.Telephony.Sip.UserAgents;

namespace Aicc.Telephony.Sip.Authentication;

/// <summary>Where an outbound registration stands.</summary>
public sealed record SipRegistrationState(bool Registered, int Status, TimeSpan GrantedExpiry, DateTimeOffset At);

/// <summary>
/// Keeps our contact registered at a provider (RFC 3261 §10.2): REGISTER with one Call-ID and a
/// rising CSeq (§10.2.4 refreshes), answering 401/407 with Digest credentials (§22.2), refreshing
/// at half the granted expiry so one lost refresh still leaves time for another, and removing
/// the binding (Expires: 0) when disposed.
/// </summary>
public sealed class SipOutboundRegistration : IAsyncDisposable
{
    private readonly SipUserAgentServer _uas;
    private readonly SipRemote _registrar;
    private readonly SipUri _addressOfRecord;
    private readonly SipCredentials _credentials;
    private readonly TimeSpan _requestedExpiry;
    private readonly TimeProvider _time;
    private readonly string _callId = SipTransactionLayerIds.NewCallId();
    private readonly string _fromTag = Transactions.SipTransactionLayer.NewTag();
    private readonly CancellationTokenSource _stop = new();
    private long _sequence;
    private Task? _refresher;

    public SipOutboundRegistration(SipUserAgentServer uas, SipRemote registrar, SipUri addressOfRecord, SipCredentials credentials, TimeSpan requestedExpiry, TimeProvider? time = null)
    {
        _uas = uas;
        _registrar = registrar;
        _addressOfRecord = addressOfRecord;
        _credentials = credentials;
        _requestedExpiry = requestedExpiry;
        _time = time ?? TimeProvider.System;
    }

    public SipRegistrationState? State { get; private set; }

    /// <summary>Registrations sent, refreshes included (each one a new CSeq).</summary>
    public int Attempts => (int)Interlocked.Read(ref _sequence);

    public event Action<SipRegistrationState>? Changed;

    /// <summary>Registers once and, when that succeeds, keeps refreshing in the background.</summary>
    public async Task<SipRegistrationState> StartAsync()
    {
        var state = await RegisterAsync(_requestedExpiry).ConfigureAwait(false);
        if (state.Registered)
        {
            _refresher = RefreshAsync(state.GrantedExpiry);
        }

        return state;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_refresher is not null)
        {
            await _refresher.ConfigureAwait(false);
        }

        if (State?.Registered == true)
        {
            await RegisterAsync(TimeSpan.Zero).ConfigureAwait(false);
        }

        _stop.Dispose();
    }

    private async Task RefreshAsync(TimeSpan granted)
    {
        while (!_stop.IsCancellationRequested)
        {
            var wait = granted / 2 > TimeSpan.FromMilliseconds(200) ? granted / 2 : TimeSpan.FromMilliseconds(200);
            try
            {
                await Task.Delay(wait, _time, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var state = await RegisterAsync(_requestedExpiry).ConfigureAwait(false);
            // A failed refresh is retried at the same pace: the old binding still runs for half its time.
            granted = state.Registered ? state.GrantedExpiry : granted;
        }
    }

    private async Task<SipRegistrationState> RegisterAsync(TimeSpan expiry)
    {
        var response = await SendAsync(expiry, authorization: null).ConfigureAwait(false);
        if (response.StatusCode is SipStatus.Unauthorized or SipStatus.ProxyAuthenticationRequired)
        {
            var challengeHeader = response.StatusCode == SipStatus.Unauthorized ? SipHeaderNames.WwwAuthenticate : "Proxy-Authenticate";
            var answer = DigestClient.Answer(response.GetHeaders(challengeHeader), _credentials, "REGISTER", RequestUri.Text);
            if (answer is not null)
            {
                var header = response.StatusCode == SipStatus.Unauthorized ? SipHeaderNames.Authorization : "Proxy-Authorization";
                response = await SendAsync(expiry, new SipHeader(header, answer)).ConfigureAwait(false);
            }
        }

        var state = new SipRegistrationState(response.IsSuccess && expiry > TimeSpan.Zero, response.StatusCode, response.IsSuccess ? Granted(response, expiry) : TimeSpan.Zero, _time.GetUtcNow());
        State = state;
        Changed?.Invoke(state);
        return state;
    }

    private SipUri RequestUri => SipUri.Create(null, _addressOfRecord.Host, _addressOfRecord.Port);

    private async Task<SipResponse> SendAsync(TimeSpan expiry, SipHeader? authorization)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var aor = new SipNameAddress(null, _addressOfRecord, [], true);
        var headers = new List<SipHeader>
        {
            new(SipHeaderNames.Via, _uas.NewVia(_registrar.Kind)),
            new(SipHeaderNames.MaxForwards, "70"),
            new(SipHeaderNames.From, (aor with { Parameters = [new SipParameter("tag", _fromTag)] }).ToString()),
            new(SipHeaderNames.To, aor.ToString()),
            new(SipHeaderNames.CallId, _callId),
            new(SipHeaderNames.CSeq, $"{sequence} REGISTER"),
            new(SipHeaderNames.Contact, _uas.ContactUri),
            new(SipHeaderNames.Expires, ((long)expiry.TotalSeconds).ToString(CultureInfo.InvariantCulture)),
        };
        if (authorization is not null)
        {
            headers.Add(authorization);
        }

        var request = SipRequest.Create("REGISTER", RequestUri, headers);
        return await _uas.Transactions.SendRequest(request, _registrar).FinalResponse.ConfigureAwait(false);
    }

    /// <summary>§10.2.4: the expiry the registrar granted to our contact (its expires parameter, else Expires, else what we asked).</summary>
    private TimeSpan Granted(SipResponse response, TimeSpan requested)
    {
        var ours = SipNameAddress.TryParse(_uas.ContactUri)?.Uri.Text;
        var contact = response.Contacts.FirstOrDefault(c => c.Uri.Text == ours);
        var value = contact?.Parameters.ValueOf("expires") ?? response.GetHeader(SipHeaderNames.Expires);
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(seconds) : requested;
    }
}

/// <summary>Fresh identifiers for requests outside any dialog.</summary>
internal static class SipTransactionLayerIds
{
    public static string NewCallId() => Transactions.SipTransactionLayer.NewTag() + Transactions.SipTransactionLayer.NewTag() + "@aicc";
}
