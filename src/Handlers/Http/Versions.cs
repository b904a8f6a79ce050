using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Aicc.Handlers.Http;

/// <summary>
/// Stream versions on the wire: the ETag of a resource is its stream's version, and If-Match
/// carries the version a client last saw, which becomes the command's expected version.
/// </summary>
public static class Versions
{
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version in an If-Match header; null when absent or <c>*</c>.</summary>
    /// <exception cref="BadHttpRequestException">The header is not a version ETag of ours.</exception>
    public static long? IfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        var value = header.StartsWith("W/", StringComparison.Ordinal) ? header[2..] : header;
        if (value.Length > 2 && value[0] == '"' && value[^1] == '"'
            && long.TryParse(value.AsSpan(1, value.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return version;
        }

        throw new BadHttpRequestException($"If-Match must be an ETag this API returned, like \"3\"; got {header}.");
    }

    public static void SetETag(HttpResponse response, long version) => response.Headers.ETag = ETag(version);
}
