using System.Security.Cryptography;
using System.Text;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Scripts;

/// <summary>
/// A content fingerprint of a script document that ignores its version number, so uploading
/// the same script again is recognised as a repeat instead of becoming a new version.
/// </summary>
public static class ScriptDigest
{
    public static string Of(DialogScript document) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ScriptValidation.Serialize(document with { Version = 0 }))));
}
