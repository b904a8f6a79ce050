namespace Aicc.Domain;

/// <summary>
/// Raised by a decider when a command is impossible in the aggregate's current state. The
/// <see cref="Code"/> is a stable machine-readable string (<c>task.incomplete</c>) that the API
/// turns into a ProblemDetails type, so clients can branch on it without parsing the message.
/// </summary>
public class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
