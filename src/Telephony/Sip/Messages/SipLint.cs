using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aicc.Telephony.Sip.Messages;

/// <summary>
/// The verdict of <c>aicc sip lint</c> for one file: whether the bytes are a well-formed SIP
/// message and, if not, the parser's reason. Lives beside the parser so the CLI stays a loop.
/// </summary>
public sealed record SipLintReport(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("valid")] bool Valid,
    [property: JsonPropertyName("method")] string? Method,
    [property: JsonPropertyName("status")] int? Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("detail")] string? Detail)
{
    private static readonly JsonSerializerOptions s_json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    /// <summary>Lints one message held in <paramref name="bytes"/> as one datagram would carry it.</summary>
    public static SipLintReport Of(string file, ReadOnlySpan<byte> bytes)
    {
        var result = SipMessageParser.Parse(bytes);
        var kind = result.Kind switch
        {
            SipMessageKind.Request => "request",
            SipMessageKind.Response => "response",
            _ => null,
        };
        var method = result.Message switch
        {
            SipRequest request => request.Method,
            SipResponse response => response.CSeq?.Method,
            _ => result.Method,
        };
        var status = result.Message is SipResponse r ? r.StatusCode : result.StatusCode;
        return new SipLintReport(file, kind, result.IsSuccess, method, status, result.Error?.Reason.ToString(), result.Error?.Detail);
    }
}
