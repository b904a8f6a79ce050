using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Tenants;

public partial class TenantTests
{
    [Fact]
    public void GivenNoTenant_WhenOperatorCreatesIt_ThenTenantIsCreatedWithTrimmedName() =>
        Spec.When(new TenantCommand.Create(TenantId, "  Acme ", TenantSettings.Default, Operator, T0))
            .Then(Created)
            .ThenState(state => Assert.Equal(new Tenant.Active(TenantId, "Acme", TenantSettings.Default), state));

    [Fact]
    public void GivenCreatedTenant_WhenCreatedAgainWithSameName_ThenNothingHappens() =>
        Spec.Given(Created)
            .When(new TenantCommand.Create(TenantId, "Acme", TenantSettings.Default, Operator, T0.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenSuspendedTenant_WhenCreatedAgainWithSameName_ThenNothingHappens() =>
        Spec.Given(Created, Suspended)
            .When(new TenantCommand.Create(TenantId, "Acme", TenantSettings.Default, Operator, T0.AddMinutes(1)))
            .ThenNothing();

    [Fact]
    public void GivenCreatedTenant_WhenCreatedAgainWithAnotherName_ThenRefused() =>
        Spec.Given(Created)
            .When(new TenantCommand.Create(TenantId, "Other", TenantSettings.Default, Operator, T0))
            .ThenThrows<DomainException>("tenant.already_exists");

    [Fact]
    public void GivenNoTenant_WhenCreatedWithBlankName_ThenRefused() =>
        Spec.When(new TenantCommand.Create(TenantId, " ", TenantSettings.Default, Operator, T0))
            .ThenThrows<DomainException>("tenant.name_required");

    [Fact]
    public void GivenNoTenant_WhenCreatedWithoutTimeZone_ThenRefused() =>
        Spec.When(new TenantCommand.Create(TenantId, "Acme", TenantSettings.Default with { TimeZone = "" }, Operator, T0))
            .ThenThrows<DomainException>("tenant.time_zone_required");
}
