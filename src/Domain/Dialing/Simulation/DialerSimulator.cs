using System.Collections.Immutable;

namespace Aicc.Domain.Dialing.Simulation;

/// <summary>
/// A seeded discrete-event simulation of one outbound campaign driven by the real
/// <see cref="Pacer"/>: the scenario and its seed fully determine the figures (no clock, no
/// ambient randomness), so pacing changes can be judged and regressions caught offline.
/// </summary>
public static class DialerSimulator
{
    /// <summary>How often the dialer re-decides, in simulated seconds.</summary>
    public const double TickSeconds = 1.0;

    public static SimulationResult Run(SimulationScenario scenario, PacingSettings? settings = null) =>
        new SimulationRun(scenario, settings ?? SettingsFor(scenario)).Run();

    /// <summary>The task settings a scenario stands for.</summary>
    public static PacingSettings SettingsFor(SimulationScenario scenario) =>
        new(scenario.Algorithm, PowerRatio: scenario.Ratio, AbandonCap: scenario.AbandonCap);

    /// <summary>The name the CLI prints for a mode.</summary>
    public static string Name(PacingMode mode) => mode switch
    {
        PacingMode.Progressive => "progressive",
        PacingMode.Power => "power",
        PacingMode.Predictive => "predictive",
        _ => "agentless",
    };
}

/// <summary>The mutable state of one run; lives only inside <see cref="DialerSimulator.Run"/>.</summary>
internal sealed class SimulationRun
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SimulationScenario _scenario;
    private readonly PacingSettings _settings;
    private readonly double _end;
    private readonly SeededRandom _callRandom;
    private readonly SeededRandom _talkRandom;
    private readonly PriorityQueue<SimEvent, (double Time, long Sequence)> _events = new();
    private readonly List<Agent> _agents = [];
    private readonly LinkedList<Agent> _ready = new();
    private readonly Dictionary<long, Call> _ringing = [];
    private readonly LinkedList<Call> _waiting = new();
    private PacingStatistics _statistics;
    private double _answerRate;
    private long _sequence;
    private long _nextCallId;
    private long _placed;
    private long _answered;
    private long _abandoned;
    private long _connected;

    public SimulationRun(SimulationScenario scenario, PacingSettings settings)
    {
        _scenario = scenario;
        _settings = settings;
        _end = scenario.Minutes * 60;
        _callRandom = new SeededRandom(scenario.Seed);
        _talkRandom = new SeededRandom(scenario.Seed ^ 0x5DEECE66DUL);
        _statistics = PacingStatistics.Initial(settings);
        _answerRate = SimulationScenario.ValueAt(scenario.AnswerRate, 0, scenario.AnswerRate[0].Value);
    }

    public SimulationResult Run()
    {
        foreach (var step in _scenario.Agents)
        {
            Schedule(step.Minute * 60, new SimEvent(EventKind.AgentsChange, (long)step.Value));
        }

        foreach (var step in _scenario.AnswerRate)
        {
            Schedule(step.Minute * 60, new SimEvent(EventKind.AnswerRateChange, 0, step.Value));
        }

        Schedule(0, new SimEvent(EventKind.Tick, 0));
        while (_events.TryDequeue(out var e, out var key) && key.Time <= _end)
        {
            Handle(e, key.Time);
        }

        return Result();
    }

    private void Handle(SimEvent e, double now)
    {
        switch (e.Kind)
        {
            case EventKind.Tick:
                Pace(now);
                Schedule(now + DialerSimulator.TickSeconds, e);
                break;
            case EventKind.AgentsChange:
                ChangeAgents((int)e.Id, now);
                break;
            case EventKind.AnswerRateChange:
                _answerRate = e.Value;
                break;
            case EventKind.CallAnswered:
                Answer(_ringing[e.Id], now);
                break;
            case EventKind.CallUnanswered:
                _ringing.Remove(e.Id);
                _statistics = _statistics.CallUnanswered(_scenario.NoAnswerTimeoutSeconds);
                break;
            case EventKind.GraceExpired:
                Abandon(e.Call!, now);
                break;
            case EventKind.TalkEnded:
                EndTalk(_agents[(int)e.Id], now);
                break;
            case EventKind.WrapEnded:
                EndWrap(_agents[(int)e.Id], now);
                break;
        }
    }

    private void Pace(double now)
    {
        var busy = ImmutableArray.CreateBuilder<BusyAgent>();
        foreach (var agent in _agents)
        {
            if (!agent.Leaving && agent.State is AgentState.Talking or AgentState.Wrapping)
            {
                busy.Add(new BusyAgent(agent.State == AgentState.Talking ? AgentPhase.Talking : AgentPhase.WrappingUp, now - agent.PhaseStart));
            }
        }

        var ringing = ImmutableArray.CreateBuilder<double>(_ringing.Count);
        foreach (var call in _ringing.Values)
        {
            ringing.Add(now - call.PlacedAt);
        }

        var snapshot = new DialerSnapshot(
            Epoch.AddSeconds(now),
            _ready.Count,
            busy.ToImmutable(),
            ringing.MoveToImmutable(),
            _waiting.Count,
            FreeLineChannels: int.MaxValue);
        var decision = Pacer.Decide(_settings, snapshot, _statistics);
        for (var i = 0; i < decision.CallsToPlace; i++)
        {
            Place(now, decision.DialedAhead(i));
        }
    }

    private void Place(double now, bool dialedAhead)
    {
        _placed++;
        _statistics = _statistics.CallPlaced(Epoch.AddSeconds(now));
        var call = new Call(_nextCallId++, now) { DialedAhead = dialedAhead };
        _ringing.Add(call.Id, call);
        var answers = _callRandom.NextDouble() < _answerRate;
        var ring = _scenario.Ring.Draw(_callRandom);
        if (answers && ring < _scenario.NoAnswerTimeoutSeconds)
        {
            Schedule(now + ring, new SimEvent(EventKind.CallAnswered, call.Id));
        }
        else
        {
            Schedule(now + _scenario.NoAnswerTimeoutSeconds, new SimEvent(EventKind.CallUnanswered, call.Id));
        }
    }

    private void Answer(Call call, double now)
    {
        _ringing.Remove(call.Id);
        _answered++;
        _statistics = _statistics.CallAnswered(Epoch.AddSeconds(call.PlacedAt), Epoch.AddSeconds(now));
        call.AnsweredAt = now;
        if (_ready.First is { } first)
        {
            _ready.RemoveFirst();
            Connect(first.Value, call, now);
            return;
        }

        call.WaitingNode = _waiting.AddLast(call);
        Schedule(now + DialingRules.AgentGraceSeconds, new SimEvent(EventKind.GraceExpired, call.Id, Call: call));
    }

    private void Abandon(Call call, double now)
    {
        if (call.WaitingNode is null)
        {
            return;
        }

        _waiting.Remove(call.WaitingNode);
        call.WaitingNode = null;
        _abandoned++;
        _statistics = _statistics.LiveAnswerResolved(Epoch.AddSeconds(now), abandoned: true, call.DialedAhead, _settings);
    }

    private void Connect(Agent agent, Call call, double now)
    {
        _connected++;
        _statistics = _statistics.LiveAnswerResolved(Epoch.AddSeconds(now), abandoned: false, call.DialedAhead, _settings);
        agent.ReadyNode = null;
        agent.State = AgentState.Talking;
        agent.PhaseStart = now;
        Schedule(now + _scenario.Talk.Draw(_talkRandom), new SimEvent(EventKind.TalkEnded, agent.Index));
    }

    private void EndTalk(Agent agent, double now)
    {
        agent.Busy += now - agent.PhaseStart;
        _statistics = _statistics.TalkEnded(now - agent.PhaseStart);
        agent.State = AgentState.Wrapping;
        agent.PhaseStart = now;
        Schedule(now + _scenario.Wrap.Draw(_talkRandom), new SimEvent(EventKind.WrapEnded, agent.Index));
    }

    private void EndWrap(Agent agent, double now)
    {
        agent.Busy += now - agent.PhaseStart;
        _statistics = _statistics.WrapEnded(now - agent.PhaseStart);
        if (agent.Leaving)
        {
            agent.State = AgentState.Off;
            agent.LogoutAt = now;
            return;
        }

        BecomeReady(agent, now);
    }

    private void BecomeReady(Agent agent, double now)
    {
        if (_waiting.First is { } oldest)
        {
            _waiting.RemoveFirst();
            oldest.Value.WaitingNode = null;
            Connect(agent, oldest.Value, now);
            return;
        }

        agent.State = AgentState.Ready;
        agent.PhaseStart = now;
        agent.ReadyNode = _ready.AddLast(agent);
    }

    private void ChangeAgents(int target, double now)
    {
        var working = _agents.Count(a => a.State != AgentState.Off && !a.Leaving);
        foreach (var agent in _agents)
        {
            if (working >= target)
            {
                break;
            }

            if (agent.Leaving && agent.State != AgentState.Off)
            {
                agent.Leaving = false;
                working++;
            }
        }

        while (working < target)
        {
            var agent = new Agent(_agents.Count, now);
            _agents.Add(agent);
            BecomeReady(agent, now);
            working++;
        }

        // Idle agents log off at once, the rest finish their call and wrap-up first.
        while (working > target && _ready.Last is { } idle)
        {
            _ready.RemoveLast();
            idle.Value.ReadyNode = null;
            idle.Value.State = AgentState.Off;
            idle.Value.LoggedOffIdle = true;
            idle.Value.LogoutAt = now;
            working--;
        }

        foreach (var agent in _agents.Where(a => a.State == AgentState.Wrapping).Concat(_agents.Where(a => a.State == AgentState.Talking)))
        {
            if (working <= target)
            {
                break;
            }

            if (!agent.Leaving)
            {
                agent.Leaving = true;
                working--;
            }
        }
    }

    private SimulationResult Result()
    {
        double busy = 0;
        double loggedIn = 0;
        // Every connection ends one wait; agents idle at the end or when they logged off add an unfinished one.
        var waits = _connected;
        foreach (var agent in _agents)
        {
            waits += agent.State == AgentState.Ready || agent.LoggedOffIdle ? 1 : 0;
            var until = agent.LogoutAt ?? _end;
            loggedIn += until - agent.LoginAt;
            busy += agent.Busy + (agent.State is AgentState.Talking or AgentState.Wrapping ? _end - agent.PhaseStart : 0);
        }

        return new SimulationResult(
            loggedIn > 0 ? busy / loggedIn : 0,
            _answered > 0 ? (double)_abandoned / _answered : 0,
            _placed,
            _answered,
            _abandoned,
            waits > 0 ? (loggedIn - busy) / waits : 0,
            DialerSimulator.Name(_settings.Mode));
    }

    private void Schedule(double time, SimEvent e) => _events.Enqueue(e, (time, _sequence++));

    private enum EventKind
    {
        Tick,
        AgentsChange,
        AnswerRateChange,
        CallAnswered,
        CallUnanswered,
        GraceExpired,
        TalkEnded,
        WrapEnded,
    }

    private enum AgentState
    {
        Ready,
        Talking,
        Wrapping,
        Off,
    }

    private readonly record struct SimEvent(EventKind Kind, long Id, double Value = 0, Call? Call = null);

    private sealed class Agent(int index, double loginAt)
    {
        public int Index { get; } = index;
        public double LoginAt { get; } = loginAt;
        public double? LogoutAt { get; set; }
        public AgentState State { get; set; } = AgentState.Ready;
        public double PhaseStart { get; set; } = loginAt;
        public double Busy { get; set; }
        public bool Leaving { get; set; }
        public bool LoggedOffIdle { get; set; }
        public LinkedListNode<Agent>? ReadyNode { get; set; }
    }

    private sealed class Call(long id, double placedAt)
    {
        public long Id { get; } = id;
        public double PlacedAt { get; } = placedAt;
        public double AnsweredAt { get; set; }
        public bool DialedAhead { get; init; }
        public LinkedListNode<Call>? WaitingNode { get; set; }
    }
}
