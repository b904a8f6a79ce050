using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Properties;

public class DeciderIdempotencyTests
{
    private static readonly Guid Id = Guid.Parse("0195a000-0000-7000-8000-000000000101");
    private static readonly Guid Tenant = Guid.Parse("0195a000-0000-7000-8000-000000000001");
    private static readonly Guid A = Guid.Parse("0195a000-0000-7000-8000-0000000000a1");
    private static readonly Guid B = Guid.Parse("0195a000-0000-7000-8000-0000000000b2");
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 1, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int seconds) => T0.AddSeconds(seconds);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GivenRandomCallHistories_WhenAnyAcceptedCommandIsRepeated_ThenNothingHappens(int seed)
    {
        var script = new ScriptVersion(B, 1);
        var customer = PhoneNumber.Parse("13800138000");
        CallCommand[] pool =
        [
            new CallCommand.CreateOutbound(Id, Tenant, A, B, customer, ValueMap.Empty, At(0)),
            new CallCommand.ReceiveInbound(Id, Tenant, A, "+8613900139000", "4008001234", At(0)),
            new CallCommand.Dial(Id, 1, A, customer, At(1)),
            new CallCommand.ReportRinging(Id, At(2)),
            new CallCommand.Answer(Id, At(3)),
            new CallCommand.ConnectRobot(Id, A, script, At(4)),
            new CallCommand.Queue(Id, "sales", At(5)),
            new CallCommand.OfferToAgent(Id, A, At(6)),
            new CallCommand.OfferToAgent(Id, B, At(6)),
            new CallCommand.WithdrawOffer(Id, A, At(7)),
            new CallCommand.ConnectAgent(Id, A, At(8)),
            new CallCommand.ConnectAgent(Id, B, At(8)),
            new CallCommand.Transfer(Id, new TransferTarget.ToSkillGroup("vip"), "intent", At(9)),
            new CallCommand.Transfer(Id, new TransferTarget.ToAgent(B), "colleague", At(9)),
            new CallCommand.Hold(Id, At(10)),
            new CallCommand.Resume(Id, At(11)),
            new CallCommand.StartRecording(Id, A, At(12)),
            new CallCommand.StopRecording(Id, A, "file:///rec.wav", At(13)),
            new CallCommand.ReceiveDtmf(Id, 1, "1", At(14)),
            new CallCommand.ReceiveDtmf(Id, 2, "#", At(15)),
            new CallCommand.HangUp(Id, HangUpParty.Customer, CloseReason.Normal, At(16)),
            new CallCommand.HangUp(Id, HangUpParty.Platform, CloseReason.BBusy, At(16)),
            new CallCommand.SetDisposition(Id, A, "sold", null, ValueList<string>.Empty, At(17)),
        ];
        var accepted = IdempotencyWalk.Run(CallDecider.Definition, pool, seed, steps: 10_000);
        Assert.True(accepted > 250, $"only {accepted} commands were accepted");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenRandomAgentHistories_WhenAnyAcceptedCommandIsRepeated_ThenNothingHappens(int seed)
    {
        AgentCommand[] pool =
        [
            new AgentCommand.Create(Id, Tenant, A, "Li", ValueList.Of("sales"), At(0)),
            new AgentCommand.ChangeSkillGroups(Id, ValueList.Of("vip"), At(1)),
            new AgentCommand.SetSipCredentials(Id, "1001", "ha1", At(1)),
            new AgentCommand.LogIn(Id, At(2)),
            new AgentCommand.MakeReady(Id, At(3)),
            new AgentCommand.MakeNotReady(Id, "break", At(4)),
            new AgentCommand.ForceNotReady(Id, B, "coaching", At(4)),
            new AgentCommand.OfferCall(Id, A, At(5)),
            new AgentCommand.OfferCall(Id, B, At(5)),
            new AgentCommand.EndOffer(Id, A, OfferEndReason.Unanswered, At(6)),
            new AgentCommand.EndOffer(Id, B, OfferEndReason.Declined, At(6)),
            new AgentCommand.AcceptCall(Id, A, At(7)),
            new AgentCommand.AcceptCall(Id, B, At(7)),
            new AgentCommand.EndCall(Id, A, TimeSpan.FromSeconds(30), At(60)),
            new AgentCommand.EndCall(Id, B, TimeSpan.Zero, At(60)),
            new AgentCommand.EndAfterCallWork(Id, A, At(90)),
            new AgentCommand.LogOut(Id, At(100)),
            new AgentCommand.Remove(Id, At(200)),
        ];
        Assert.True(IdempotencyWalk.Run(AgentDecider.Definition, pool, seed) > 100);
    }

    [Fact]
    public void GivenRandomAgentHistories_WhenACallIsOffered_ThenTheAgentWasReadyAndHeldNoOtherCall()
    {
        var random = new Random(7);
        var state = AgentDecider.Evolve(AgentDecider.Initial, new AgentEvent.Created(Id, Tenant, A, "Li", ValueList.Of("s"), T0));
        var offers = 0;
        for (var step = 0; step < 3000; step++)
        {
            var call = random.Next(2) == 0 ? A : B;
            AgentCommand command = random.Next(6) switch
            {
                0 => new AgentCommand.LogIn(Id, At(step)),
                1 => new AgentCommand.OfferCall(Id, call, At(step)),
                2 => new AgentCommand.AcceptCall(Id, call, At(step)),
                3 => new AgentCommand.EndCall(Id, call, TimeSpan.Zero, At(step)),
                4 => new AgentCommand.EndOffer(Id, call, OfferEndReason.Declined, At(step)),
                _ => new AgentCommand.MakeReady(Id, At(step)),
            };
            try
            {
                var before = Assert.IsType<Agent.Active>(state).Presence;
                var events = AgentDecider.Decide(command, state);
                if (events.Any(e => e is AgentEvent.CallOffered))
                {
                    Assert.IsType<AgentPresence.Ready>(before);
                    offers++;
                }

                state = events.Aggregate(state, AgentDecider.Evolve);
            }
            catch (DomainException)
            {
            }
        }

        Assert.True(offers > 50);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenRandomTaskHistories_WhenAnyAcceptedCommandIsRepeated_ThenNothingHappens(int seed)
    {
        CallTaskCommand[] pool =
        [
            new CallTaskCommand.Create(Id, Tenant, "renewals", A, At(0)),
            new CallTaskCommand.Rename(Id, "renewals 2", At(1)),
            new CallTaskCommand.SetLine(Id, A, At(1)),
            new CallTaskCommand.SetLine(Id, B, At(1)),
            new CallTaskCommand.SetHandler(Id, new TaskHandler.AgentGroup("sales"), At(1)),
            new CallTaskCommand.SetHandler(Id, new TaskHandler.Robot(A), At(1)),
            new CallTaskCommand.SetPacing(Id, new TaskPacing(TaskPacingMode.Predictive, null, 0.03m), At(1)),
            new CallTaskCommand.SetPacing(Id, new TaskPacing(TaskPacingMode.Agentless, null, 0.03m), At(1)),
            new CallTaskCommand.SetCallingWindows(Id, CallingWindow.Default, At(1)),
            new CallTaskCommand.SetRetryPolicy(Id, RetryPolicy.Default with { Busy = new RetryRule(TimeSpan.Zero, 1) }, At(1)),
            new CallTaskCommand.SetRateLimit(Id, 30, At(1)),
            new CallTaskCommand.SetRateLimit(Id, null, At(1)),
            new CallTaskCommand.SetDispositions(Id, ValueList.Of("sold"), At(1)),
            new CallTaskCommand.AcceptCustomerBatch(Id, A, 10, 0, 0, At(2)),
            new CallTaskCommand.Start(Id, At(3)),
            new CallTaskCommand.Pause(Id, "lunch", At(4)),
            new CallTaskCommand.Resume(Id, At(5)),
            new CallTaskCommand.Complete(Id, At(6)),
            new CallTaskCommand.Cancel(Id, "stop", At(6)),
        ];
        Assert.True(IdempotencyWalk.Run(CallTaskDecider.Definition, pool, seed) > 100);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void GivenRandomLineHistories_WhenAnyAcceptedCommandIsRepeated_ThenNothingHappens(int seed)
    {
        var config = new LineConfig("gw:5060", LineTransport.Udp, null, CallerIdRules.FromTaskPool, 1);
        LineCommand[] pool =
        [
            new LineCommand.Create(Id, Tenant, "trunk", config, At(0)),
            new LineCommand.Reconfigure(Id, config with { MaxChannels = 2 }, At(1)),
            new LineCommand.SeizeChannel(Id, A, At(2)),
            new LineCommand.SeizeChannel(Id, B, At(2)),
            new LineCommand.ReleaseChannel(Id, A, At(3)),
            new LineCommand.ReleaseChannel(Id, B, At(3)),
            new LineCommand.ReportUp(Id, LineHealthSource.OptionsPing, At(4)),
            new LineCommand.ReportDown(Id, LineHealthSource.OptionsPing, "timeout", At(4)),
            new LineCommand.Retire(Id, At(5)),
        ];
        Assert.True(IdempotencyWalk.Run(LineDecider.Definition, pool, seed) > 100);
    }

    [Fact]
    public void GivenRandomHistoriesOfTheSmallerStreams_WhenAnyAcceptedCommandIsRepeated_ThenNothingHappens()
    {
        TenantCommand[] tenants =
        [
            new TenantCommand.Create(Id, "Acme", TenantSettings.Default, A, At(0)),
            new TenantCommand.ChangeSettings(Id, TenantSettings.Default with { RecordCalls = false }, A, At(1)),
            new TenantCommand.Suspend(Id, "unpaid", A, At(2)),
            new TenantCommand.Activate(Id, A, At(3)),
        ];
        EmployeeCommand[] employees =
        [
            new EmployeeCommand.Register(Id, Tenant, "li", "Li", EmployeeRole.Admin, "h1", At(0)),
            new EmployeeCommand.ChangeRole(Id, EmployeeRole.Agent, 2, At(1)),
            new EmployeeCommand.ChangeRole(Id, EmployeeRole.Admin, 1, At(1)),
            new EmployeeCommand.ChangePassword(Id, "h2", At(2)),
            new EmployeeCommand.IssueApiKey(Id, A, "crm", "k1", At(3)),
            new EmployeeCommand.RevokeApiKey(Id, A, At(4)),
            new EmployeeCommand.Deactivate(Id, 2, At(5)),
        ];
        RobotCommand[] robots =
        [
            new RobotCommand.Create(Id, Tenant, "Bot", new ScriptVersion(A, 1), "kal16", 2, At(0)),
            new RobotCommand.PinScript(Id, new ScriptVersion(A, 2), At(1)),
            new RobotCommand.ChangeVoice(Id, "slt", At(1)),
            new RobotCommand.ChangeCapacity(Id, 5, At(1)),
            new RobotCommand.Retire(Id, At(2)),
        ];
        var customers = ValueList.Of(new TaskCustomer(A, 2, PhoneNumber.Parse("13800138000"), ValueMap.Empty));
        CustomerBatchCommand[] batches =
        [
            new CustomerBatchCommand.Open(Id, A, Tenant, "list.csv", At(0)),
            new CustomerBatchCommand.AddCustomers(Id, 0, customers, At(1)),
            new CustomerBatchCommand.AddCustomers(Id, 1, ValueList.Of(customers[0] with { Phone = PhoneNumber.Parse("13900139000") }), At(2)),
            new CustomerBatchCommand.Seal(Id, 0, 0, At(3)),
            new CustomerBatchCommand.Discard(Id, "abort", At(3)),
        ];

        Assert.True(IdempotencyWalk.Run(TenantDecider.Definition, tenants, 1) > 10);
        Assert.True(IdempotencyWalk.Run(EmployeeDecider.Definition, employees, 1) > 10);
        Assert.True(IdempotencyWalk.Run(RobotDecider.Definition, robots, 1) > 10);
        Assert.True(IdempotencyWalk.Run(CustomerBatchDecider.Definition, batches, 1) > 10);
    }
}
