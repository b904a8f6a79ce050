namespace Aicc.Domain.Tasks;

/// <summary>
/// A task cannot start (or resume) yet; <see cref="Missing"/> lists every gap at once
/// (<c>line</c>, <c>handler</c>, <c>customers</c>, <c>pacing</c>) so the operator fixes them in one go.
/// </summary>
public sealed class TaskIncompleteException(IReadOnlyList<string> missing)
    : DomainException("task.incomplete", "The task is not complete: " + string.Join(", ", missing) + ".")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}
