using System.Diagnostics;
using System.Threading.Channels;
using Aicc.Telephony.Audio;
using Aicc.Telephony.Media;
using Xunit.Abstractions;

namespace Aicc.Telephony.Tests.Media;

/// <summary>
/// The monitor mixer on its own: tones of distinct frequencies go into the customer's, the
/// agent's and the supervisor's inbound channels and each outbound channel is checked for who
/// is heard there, tick by tick, as the clock would drive it.
/// </summary>
public sealed class MonitorMixerTests(ITestOutputHelper output)
{
    private const double CustomerHz = 500;
    private const double AgentHz = 1100;
    private const double SupervisorHz = 1900;

    private sealed class Party
    {
        public Channel<AudioFrame> In { get; } = Channel.CreateBounded<AudioFrame>(50);

        public Channel<AudioFrame> Out { get; } = Channel.CreateBounded<AudioFrame>(50);

        public List<short> Heard { get; } = [];

        public void Say(short[] tone, int frame)
        {
            var f = AudioFrame.Rent();
            tone.AsSpan(frame * AudioFrame.Samples, AudioFrame.Samples).CopyTo(f.Pcm);
            Assert.True(In.Writer.TryWrite(f));
        }

        public void Listen()
        {
            while (Out.Reader.TryRead(out var f))
            {
                Heard.AddRange(f.ReadOnlyPcm.ToArray());
                f.Dispose();
            }
        }
    }

    private static (Party Customer, Party Agent, Party Supervisor, MonitorMixer Mixer) Rig(MonitorMode mode)
    {
        var customer = new Party();
        var agent = new Party();
        var supervisor = new Party();
        var mixer = new MonitorMixer(customer.In.Reader, customer.Out.Writer, agent.In.Reader, agent.Out.Writer, supervisor.In.Reader, supervisor.Out.Writer, mode);
        return (customer, agent, supervisor, mixer);
    }

    private static void Run(MonitorMixer mixer, Party customer, Party agent, Party supervisor, int ticks)
    {
        var c = ToneGenerator.Generate(CustomerHz, TimeSpan.FromMilliseconds(20 * ticks));
        var a = ToneGenerator.Generate(AgentHz, TimeSpan.FromMilliseconds(20 * ticks));
        var s = ToneGenerator.Generate(SupervisorHz, TimeSpan.FromMilliseconds(20 * ticks));
        for (var i = 0; i < ticks; i++)
        {
            customer.Say(c, i);
            agent.Say(a, i);
            supervisor.Say(s, i);
            mixer.OnTick(i + 1);
            customer.Listen();
            agent.Listen();
            supervisor.Listen();
        }
    }

    /// <summary>True when the tone's energy stands far above the noise floor (a frequency none of the parties use).</summary>
    private static bool Hears(List<short> heard, double hz)
    {
        var samples = heard.ToArray().AsSpan();
        return Goertzel.Power(samples, hz) > 100 * Goertzel.Power(samples, 3100) && Goertzel.Power(samples, hz) > 1000;
    }

    [Theory]
    [InlineData(MonitorMode.Listen, false, false)]
    [InlineData(MonitorMode.Whisper, false, true)]
    [InlineData(MonitorMode.Barge, true, true)]
    public void GivenAMonitorInAMode_ThenEachPartyHearsWhatTheModeAllows(MonitorMode mode, bool customerHearsSupervisor, bool agentHearsSupervisor)
    {
        var (customer, agent, supervisor, mixer) = Rig(mode);

        Run(mixer, customer, agent, supervisor, 50);

        Assert.Equal(50 * AudioFrame.Samples, customer.Heard.Count);
        Assert.True(Hears(customer.Heard, AgentHz), "the customer must hear the agent");
        Assert.False(Hears(customer.Heard, CustomerHz), "the customer must not hear themselves");
        Assert.Equal(customerHearsSupervisor, Hears(customer.Heard, SupervisorHz));
        Assert.True(Hears(agent.Heard, CustomerHz), "the agent must hear the customer");
        Assert.False(Hears(agent.Heard, AgentHz), "the agent must not hear themselves");
        Assert.Equal(agentHearsSupervisor, Hears(agent.Heard, SupervisorHz));
        Assert.True(Hears(supervisor.Heard, CustomerHz), "the supervisor must hear the customer");
        Assert.True(Hears(supervisor.Heard, AgentHz), "the supervisor must hear the agent");
        Assert.False(Hears(supervisor.Heard, SupervisorHz), "the supervisor must not hear themselves");
        Assert.Equal(50, mixer.Ticks);
    }

    [Fact]
    public void GivenAModeChange_ThenTheNextTickRoutesTheNewWay()
    {
        var (customer, agent, supervisor, mixer) = Rig(MonitorMode.Barge);
        Run(mixer, customer, agent, supervisor, 10);
        customer.Heard.Clear();

        mixer.Mode = MonitorMode.Listen;
        Run(mixer, customer, agent, supervisor, 25);

        Assert.False(Hears(customer.Heard, SupervisorHz), "after the switch to listen the customer still hears the supervisor");
        Assert.True(Hears(customer.Heard, AgentHz));
    }

    [Fact]
    public void GivenLoudPartiesTogether_ThenTheSumSaturatesInsteadOfWrappingAround()
    {
        short[] loud = [30000, -30000, 20000, -20000];
        short[] louder = [10000, -10000, 20000, -20000];
        var mixed = new short[4];

        MonitorMixer.MixSaturating(loud, louder, mixed);

        Assert.Equal([short.MaxValue, short.MinValue, short.MaxValue, short.MinValue], mixed);
    }

    [Fact]
    public void GivenAPartySilent_ThenItsPlaceInTheMixIsSilence()
    {
        var (customer, agent, supervisor, mixer) = Rig(MonitorMode.Barge);
        var c = ToneGenerator.Generate(CustomerHz, TimeSpan.FromMilliseconds(400));
        for (var i = 0; i < 20; i++)
        {
            customer.Say(c, i);
            mixer.OnTick(i + 1);
            customer.Listen();
            agent.Listen();
            supervisor.Listen();
        }

        Assert.All(customer.Heard, s => Assert.Equal(0, s));
        Assert.True(Hears(supervisor.Heard, CustomerHz));
    }

    [Fact]
    public void GivenABacklogBehindTheMixer_ThenTheOldestFramesAreDroppedSoLatencyStaysBounded()
    {
        var (customer, _, _, mixer) = Rig(MonitorMode.Listen);
        var c = ToneGenerator.Generate(CustomerHz, TimeSpan.FromMilliseconds(200));
        for (var i = 0; i < 10; i++)
        {
            customer.Say(c, i);
        }

        mixer.OnTick(1);

        Assert.Equal(MonitorMixer.MaxBacklog, customer.In.Reader.Count);
        Assert.True(mixer.Dropped >= 7);
    }

    [Fact]
    public void GivenAStoppedMixer_ThenTicksTouchNoChannel()
    {
        var (customer, agent, supervisor, mixer) = Rig(MonitorMode.Barge);
        customer.Say(ToneGenerator.Generate(CustomerHz, TimeSpan.FromMilliseconds(20)), 0);

        mixer.Stop();
        mixer.OnTick(1);

        Assert.Equal(1, customer.In.Reader.Count);
        Assert.Equal(0, supervisor.Out.Reader.Count);
        Assert.Equal(0, agent.Out.Reader.Count);
    }

    [Fact]
    public void MixingATickAllocatesNothingAndItsCostIsMeasured()
    {
        var (customer, agent, supervisor, mixer) = Rig(MonitorMode.Barge);
        var frames = new[] { customer, agent, supervisor };
        // Warm up past tiered JIT promotion and fill the frame pool.
        for (var i = 0; i < 3000; i++)
        {
            Tick(mixer, frames, i);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 5000; i++)
        {
            Tick(mixer, frames, i);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The figure includes renting and returning the three test frames per tick.
        output.WriteLine($"monitor mix: {elapsed.TotalMicroseconds / 5000:0.00} us per tick (three legs, barge)");
        Assert.True(allocated < 1024, $"{allocated} bytes allocated over 5000 ticks");
    }

    private static void Tick(MonitorMixer mixer, Party[] parties, int i)
    {
        foreach (var party in parties)
        {
            var f = AudioFrame.Rent();
            f.Pcm.Fill((short)(i & 0x3FF));
            party.In.Writer.TryWrite(f);
        }

        mixer.OnTick(i);
        foreach (var party in parties)
        {
            while (party.Out.Reader.TryRead(out var f))
            {
                f.Dispose();
            }
        }
    }
}
