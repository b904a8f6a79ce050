using Aicc.Domain.Common;

namespace Aicc.Domain.Tests.Common;

public class ValueCollectionTests
{
    [Fact]
    public void GivenTwoListsWithTheSameItems_WhenCompared_ThenTheyAreEqualAndHashAlike()
    {
        ValueList<string> built = ["sales", "vip"];
        var parsed = ValueList.Of("sales", "vip");

        Assert.Equal(parsed, built);
        Assert.True(parsed == built);
        Assert.Equal(parsed.GetHashCode(), built.GetHashCode());
        Assert.NotEqual(parsed, ValueList.Of("vip", "sales"));
    }

    [Fact]
    public void GivenTwoMapsWithTheSamePairsInAnotherOrder_WhenCompared_ThenTheyAreEqual()
    {
        var first = ValueMap.Of(("name", "Li"), ("plan", "gold"));
        var second = ValueMap.Of(("plan", "gold"), ("name", "Li"));

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, ValueMap.Of(("name", "Li"), ("plan", "silver")));
    }

    [Fact]
    public void GivenRecordsHoldingValueCollections_WhenComparedByValue_ThenContentDecides()
    {
        Assert.Equal(new Holder(["a"], ValueMap.Of(("k", "v"))), new Holder(["a"], ValueMap.Of(("k", "v"))));
        Assert.NotEqual(new Holder(["a"], ValueMap.Empty), new Holder(["b"], ValueMap.Empty));
    }

    private sealed record Holder(ValueList<string> Items, ValueMap Map);
}
