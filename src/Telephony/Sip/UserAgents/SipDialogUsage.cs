using Aicc.Telephony.Sip.Transactions;

namespace Aicc.Telephony.Sip.UserAgents;

/// <summary>
/// A call that owns a dialog, incoming or outgoing: how the UAS core hands it the in-dialog
/// requests it receives (§12.2.2).
/// </summary>
internal interface ISipDialogUsage
{
    void OnAck();

    /// <summary>
    /// Records the CSeq of a request received in the dialog; false when it is lower than one
    /// already seen, which §12.2.2 answers 500.
    /// </summary>
    bool AcceptRemoteSequence(long sequence);

    void OnBye(SipServerTransaction transaction);

    void OnInfo(SipServerTransaction transaction);

    /// <summary>A NOTIFY inside the dialog: the implicit subscription of a REFER we sent (RFC 3515 §2.4.4).</summary>
    void OnNotify(SipServerTransaction transaction);

    /// <summary>An INVITE inside the dialog (§14.2).</summary>
    void OnReInvite(SipServerTransaction transaction);

    /// <summary>A 2xx to an INVITE of ours after its transaction ended: ACK it again (§13.2.2.4).</summary>
    void OnStray2xx(Messages.SipResponse response);
}
