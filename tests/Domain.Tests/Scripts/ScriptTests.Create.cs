using Aicc.Domain.Scripts;

namespace Aicc.Domain.Tests.Scripts;

public partial class ScriptTests
{
    [Fact]
    public void GivenNoScript_WhenAValidDocumentIsUploaded_ThenItExistsAsVersion1() =>
        Spec.Given()
            .When(new ScriptCommand.Create(ScriptId, TenantId, English with { Version = 7 }, T0))
            .Then(Created, Version1)
            .ThenState(state =>
            {
                var script = Assert.IsType<Script.Existing>(state);
                Assert.Equal(1, script.LatestVersion);
                Assert.True(script.HasVersion(1));
                Assert.False(script.HasVersion(2));
                Assert.Equal("Demo offer call (English)", script.Name);
            });

    [Fact]
    public void GivenScript_WhenTheSameUploadIsRepeated_ThenNothingHappens() =>
        Spec.Given(Created, Version1)
            .When(new ScriptCommand.Create(ScriptId, TenantId, English, T0.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenScript_WhenAnotherDocumentIsUploadedUnderItsId_ThenRefused() =>
        Spec.Given(Created, Version1)
            .When(new ScriptCommand.Create(ScriptId, TenantId, Edited, T0.AddMinutes(1)))
            .ThenThrows<DomainException>("script.already_exists");

    [Fact]
    public void GivenNoScript_WhenAnInvalidDocumentIsUploaded_ThenRefusedAndNothingIsStored()
    {
        var refusal = Spec.Given()
            .When(new ScriptCommand.Create(ScriptId, TenantId, Broken(), T0))
            .ThenThrows<DomainException>("script.invalid");
        Assert.Contains("problem", refusal.Message, StringComparison.Ordinal);
    }
}
