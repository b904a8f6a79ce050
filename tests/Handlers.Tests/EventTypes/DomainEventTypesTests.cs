using Aicc.Handlers.EventTypes;

namespace Aicc.Handlers.Tests.EventTypes;

public sealed class DomainEventTypesTests
{
    private static readonly string GoldenFile = Path.Combine(AppContext.BaseDirectory, "EventTypes", "event-type-names.txt");

    /// <summary>
    /// Stored names must never change: a renamed event record would make history unreadable.
    /// When this fails for a rename, keep the old name as an alias; for a new event, add its name
    /// to event-type-names.txt.
    /// </summary>
    [Fact]
    public void StoredEventNamesMatchTheGoldenList()
    {
        var expected = File.ReadAllLines(GoldenFile).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        var actual = DomainEventTypes.All().Select(t => t.Name).ToList();

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void EveryEventOfEveryHierarchyIsRegisteredOnce()
    {
        var registry = DomainEventTypes.CreateRegistry();
        var all = DomainEventTypes.All().ToList();

        Assert.Equal(all.Count, all.Select(t => t.Name).Distinct().Count());
        Assert.All(all, t => Assert.Equal(t.Name, registry.NameOf(t.Type)));
    }
}
