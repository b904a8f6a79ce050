using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Scripts;

/// <summary>What operators ask of a dialog script.</summary>
public abstract record ScriptCommand
{
    private ScriptCommand()
    {
    }

    /// <summary>Upload a new script; the document becomes version 1. Repeating it with the same document changes nothing.</summary>
    public sealed record Create(Guid ScriptId, Guid TenantId, DialogScript Document, DateTimeOffset Now) : ScriptCommand;

    /// <summary>Publish the next version; a document equal to the latest version publishes nothing.</summary>
    public sealed record PublishVersion(Guid ScriptId, DialogScript Document, DateTimeOffset Now) : ScriptCommand;
}
