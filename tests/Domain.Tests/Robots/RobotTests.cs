using Aicc.Domain.Robots;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Robots;

public partial class RobotTests
{
    private static readonly Spec<Robot, RobotEvent, RobotCommand> Spec =
        new(RobotDecider.Definition);

    private static readonly Guid RobotId = Guid.Parse("0195a000-0000-7000-8000-0000000b0001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid ScriptId = Guid.Parse("0195a000-0000-7000-8000-0000000d0001");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);
    private static readonly ScriptVersion V1 = new(ScriptId, 1);

    private static readonly RobotEvent Created =
        new RobotEvent.Created(RobotId, TenantId, "Xiaomei", V1, "cmn-latn-pinyin", 20, T0);

    private static readonly RobotEvent Retired = new RobotEvent.Retired(RobotId, T0.AddDays(9));
}
