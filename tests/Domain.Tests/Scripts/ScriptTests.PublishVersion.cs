using Aicc.Domain.Scripts;

namespace Aicc.Domain.Tests.Scripts;

public partial class ScriptTests
{
    [Fact]
    public void GivenVersion1_WhenAnEditedDocumentIsPublished_ThenItIsVersion2AndVersion1Stays() =>
        Spec.Given(Created, Version1)
            .When(new ScriptCommand.PublishVersion(ScriptId, Edited, T0.AddHours(1)))
            .Then(new ScriptEvent.VersionPublished(ScriptId, 2, Edited with { Version = 2 }, ScriptDigest.Of(Edited), T0.AddHours(1)))
            .ThenState(state =>
            {
                var script = Assert.IsType<Script.Existing>(state);
                Assert.Equal(2, script.LatestVersion);
                Assert.Equal(((ScriptEvent.VersionPublished)Version1).Digest, script.Digests[0]);
            });

    [Fact]
    public void GivenVersion2_WhenVersion1sDocumentIsPublishedAgain_ThenItBecomesVersion3() =>
        Spec.Given(Created, Version1, new ScriptEvent.VersionPublished(ScriptId, 2, Edited with { Version = 2 }, ScriptDigest.Of(Edited), T0))
            .When(new ScriptCommand.PublishVersion(ScriptId, English, T0.AddHours(2)))
            .Then(new ScriptEvent.VersionPublished(ScriptId, 3, English with { Version = 3 }, ScriptDigest.Of(English), T0.AddHours(2)));

    [Fact]
    public void GivenVersion1_WhenTheSameDocumentIsPublished_ThenNothingHappens() =>
        Spec.Given(Created, Version1)
            .When(new ScriptCommand.PublishVersion(ScriptId, English with { Version = 5 }, T0.AddHours(1)))
            .ThenNothing();

    [Fact]
    public void GivenScript_WhenAnInvalidDocumentIsPublished_ThenRefused() =>
        Spec.Given(Created, Version1)
            .When(new ScriptCommand.PublishVersion(ScriptId, Broken(), T0.AddHours(1)))
            .ThenThrows<DomainException>("script.invalid");

    [Fact]
    public void GivenNoScript_WhenAVersionIsPublished_ThenRefusedAsNotFound() =>
        Spec.Given()
            .When(new ScriptCommand.PublishVersion(ScriptId, English, T0))
            .ThenThrows<DomainException>("script.not_found");

    [Fact]
    public void GivenVersion1_WhenAnOutOfOrderVersionEventIsFolded_ThenStateIgnoresIt()
    {
        var state = ScriptDecider.Definition.Fold([Created, Version1, new ScriptEvent.VersionPublished(ScriptId, 5, English, "x", T0)]);
        Assert.Equal(1, Assert.IsType<Script.Existing>(state).LatestVersion);
    }
}
