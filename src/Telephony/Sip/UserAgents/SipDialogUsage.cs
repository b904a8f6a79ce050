using Aicc.Telephony.Sip.Transactions;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>
/// A call that owns a dialog, incoming or outgoing: how the UAS core hands it the in-dialog
/// requests it receives (§12.2.2).
/// </summary>
internal interface ISipDialogUsage
{
    void OnAck();

    void OnBye(SipServerTransaction transaction);

    void OnInfo(SipServerTransaction transaction);
}
