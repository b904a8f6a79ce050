using Aicc.Telephony.Sip.Messages;

namespace Aicc.Telephony.Tests.Sip.Rfc4475;

/// <summary>What RFC 4475 expects of each torture message.</summary>
/// <param name="Name">File name without .dat.</param>
/// <param name="Valid">Whether the message is syntactically valid (RFC 4475 §3.1.1 vs §3.1.2; §3.2-§3.4 messages are valid).</param>
/// <param name="ParseError">For invalid messages, the reason our parser must give.</param>
/// <param name="ServerResponse">The status our server answers with; null when it must send nothing (responses, drops).</param>
public sealed record Rfc4475Case(string Name, bool Valid, SipParseErrorReason? ParseError, int? ServerResponse)
{
    public override string ToString() => Name;

    public byte[] Bytes() => File.ReadAllBytes(PathOf(Name));

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Sip", "Rfc4475", name + ".dat");

    public static readonly IReadOnlyList<Rfc4475Case> All =
    [
        // §3.1.1 valid messages. Our UAS supports INVITE/ACK/BYE/CANCEL/OPTIONS/INFO/REGISTER;
        // the test application answers INVITE 200.
        // wsinv carries a To tag: an INVITE for a dialog we never had gets 481 (§12.2.2).
        new("wsinv", true, null, 481),
        new("intmeth", true, null, 501),
        new("esc01", true, null, 200),
        new("escnull", true, null, 200),
        new("esc02", true, null, 501),
        new("lwsdisp", true, null, 200),
        new("longreq", true, null, 200),
        new("dblreq", true, null, 200),
        new("semiuri", true, null, 200),
        new("transports", true, null, 200),
        new("mpart01", true, null, 405),
        new("unreason", true, null, null),
        new("noreason", true, null, null),

        // §3.1.2 invalid messages: requests get 400 (505 for the version), responses are dropped.
        new("badinv01", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("clerr", false, SipParseErrorReason.BodyShorterThanContentLength, 400),
        new("ncl", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("scalar02", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("scalarlg", false, SipParseErrorReason.InvalidHeaderValue, null),
        new("quotbal", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("ltgtruri", false, SipParseErrorReason.InvalidRequestUri, 400),
        new("lwsruri", false, SipParseErrorReason.InvalidRequestUri, 400),
        new("lwsstart", false, SipParseErrorReason.InvalidRequestUri, 400),
        new("trws", false, SipParseErrorReason.InvalidStartLine, 400),
        new("escruri", false, SipParseErrorReason.InvalidRequestUri, 400),
        new("baddate", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("regbadct", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("badaspec", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("baddn", false, SipParseErrorReason.InvalidHeaderValue, 400),
        new("badvers", false, SipParseErrorReason.UnsupportedVersion, 505),
        new("mismatch01", false, SipParseErrorReason.CSeqMethodMismatch, 400),
        new("mismatch02", false, SipParseErrorReason.CSeqMethodMismatch, 400),
        new("bigcode", false, SipParseErrorReason.InvalidStatusCode, null),

        // §3.2 transaction layer.
        new("badbranch", true, null, 200),

        // §3.3 application layer: valid syntax, the element reacts.
        new("insuf", true, null, 400),
        new("unkscm", true, null, 416),
        new("novelsc", true, null, 416),
        new("unksm2", true, null, 200),
        new("bext01", true, null, 420),
        new("invut", true, null, 415),
        new("regaut01", true, null, 401),
        new("multi01", true, null, 400),
        new("mcl01", true, null, 400),
        new("bcast", true, null, null),
        new("zeromf", true, null, 200),
        new("cparam01", true, null, 200),
        new("cparam02", true, null, 200),
        new("regescrt", true, null, 200),
        new("sdp01", true, null, 406),

        // §3.4 backward compatibility.
        new("inv2543", true, null, 200),
    ];

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All)
        {
            data.Add(c.Name);
        }

        return data;
    }

    public static Rfc4475Case Get(string name) => All.Single(c => c.Name == name);
}
