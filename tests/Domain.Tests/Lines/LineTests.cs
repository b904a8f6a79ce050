using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Tests.Specs;

namespace Aicc.Domain.Tests.Lines;

public partial class LineTests
{
    private static readonly Spec<Line, LineEvent, LineCommand> Spec =
        new(LineDecider.Definition);

    private static readonly Guid LineId = Guid.Parse("0195a000-0000-7000-8000-00000001e001");
    private static readonly Guid TenantId = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid Call1 = Guid.Parse("0195a000-0000-7000-8000-0000000c0001");
    private static readonly Guid Call2 = Guid.Parse("0195a000-0000-7000-8000-0000000c0002");
    private static readonly Guid Call3 = Guid.Parse("0195a000-0000-7000-8000-0000000c0003");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static readonly LineConfig TwoChannels = new(
        "gw.example.net:5060",
        LineTransport.Udp,
        new LineCredentials("trunk1", "enc:v1:abc"),
        CallerIdRules.FromTaskPool,
        2);

    private static readonly LineEvent Created = new LineEvent.Created(LineId, TenantId, "China Telecom 1", TwoChannels, T0);

    private static readonly LineEvent Seized1 = new LineEvent.ChannelSeized(LineId, Call1, 1, T0.AddMinutes(1));

    private static readonly LineEvent Seized2 = new LineEvent.ChannelSeized(LineId, Call2, 2, T0.AddMinutes(2));

    private static readonly LineEvent Down =
        new LineEvent.WentDown(LineId, LineHealthSource.OptionsPing, "no OPTIONS reply", T0.AddMinutes(3));

    private static readonly LineEvent Retired = new LineEvent.Retired(LineId, T0.AddDays(1));

    private static readonly PhoneNumber Fixed = PhoneNumber.Parse("010 8888 6666");
}
