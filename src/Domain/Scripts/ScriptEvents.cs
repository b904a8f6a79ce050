using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Scripts;

/// <summary>Everything that happens to a tenant's dialog script; one stream per script.</summary>
public abstract record ScriptEvent
{
    private ScriptEvent()
    {
    }

    /// <summary>An operator uploaded a new script; its first version follows in the same append.</summary>
    public sealed record Created(Guid ScriptId, Guid TenantId, string Name, string Language, DateTimeOffset CreatedAt) : ScriptEvent;

    /// <summary>
    /// Version <paramref name="Version"/> exists with this document for good; robots may pin it.
    /// The document's own <c>version</c> field equals <paramref name="Version"/>.
    /// <paramref name="Digest"/> is <see cref="ScriptDigest.Of"/> the document, so a repeated upload is recognised.
    /// </summary>
    public sealed record VersionPublished(Guid ScriptId, int Version, DialogScript Document, string Digest, DateTimeOffset PublishedAt)
        : ScriptEvent;
}
