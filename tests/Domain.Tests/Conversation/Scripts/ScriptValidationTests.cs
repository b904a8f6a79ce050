using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Domain.Tests.Conversation.Scripts;

public sealed class ScriptValidationTests
{
    private static string Data(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversation", "Data", name));

    private static DialogScript Minimal(params ScriptNode[] nodes) => new()
    {
        Id = "t",
        Start = nodes.Length > 0 ? nodes[0].Id : null,
        Intents = [new ScriptIntent { Name = "affirm", Examples = ["yes"] }],
        Nodes = nodes,
    };

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    public void DemoScriptsAreValid(string language)
    {
        var (script, problems) = ScriptValidation.Parse(RobotDemo.Read($"script.demo-{language}.json"));

        Assert.NotNull(script);
        Assert.Empty(problems);
        Assert.Equal(11, script.Intents.Count);
        Assert.Contains(script.Nodes, n => n is TransferNode);
        Assert.Contains(script.Nodes, n => n is HangupNode { DoNotCall: true });
    }

    [Fact]
    public void EveryProblemIsReportedAtOnceWithItsNode()
    {
        var (script, problems) = ScriptValidation.Parse(Data("script.broken.json"));

        Assert.NotNull(script);
        var found = problems.Select(p => (p.Node, p.Code)).ToHashSet();
        Assert.Contains(("question", "dangling_edge"), found);
        Assert.Contains((null, "dangling_edge"), found);
        Assert.Contains(("question", "unknown_intent"), found);
        Assert.Contains((null, "unknown_intent"), found);
        Assert.Contains(("hello", "missing_variable"), found);
        Assert.Contains(("orphan", "unreachable_node"), found);
        Assert.Contains(("spin1", "loop_without_ask"), found);
        Assert.Equal(7, problems.Count);
    }

    [Fact]
    public void MissingStartAndDuplicateNodesAreProblems()
    {
        var script = Minimal(new HangupNode { Id = "bye" }, new HangupNode { Id = "bye" }) with { Start = "begin" };

        var problems = ScriptValidation.Validate(script);

        Assert.Contains(problems, p => p is { Code: "missing_start", Node: "begin" });
        Assert.Contains(problems, p => p is { Code: "duplicate_node", Node: "bye" });
        Assert.DoesNotContain(problems, p => p.Code == "unreachable_node");
    }

    [Fact]
    public void NoStartAtAllIsAProblem()
    {
        var problems = ScriptValidation.Validate(Minimal(new HangupNode { Id = "bye" }) with { Start = null });

        Assert.Contains(problems, p => p is { Code: "missing_start", Node: null });
    }

    [Fact]
    public void ALoopThroughAnAskIsFine_ASelfLoopWithoutOneIsNot()
    {
        var ask = new AskNode
        {
            Id = "q",
            Prompt = "again?",
            Expect = [new IntentRoute { Intent = "affirm", Next = "intro" }],
            NoInput = new RetryHandling { Next = "bye" },
            NoMatch = new RetryHandling { Next = "bye" },
        };
        var fine = Minimal(new SayNode { Id = "intro", Text = "hi", Next = "q" }, ask, new HangupNode { Id = "bye" });
        var spinning = Minimal(new SetVariableNode { Id = "s", Variable = "v", Value = "1", Next = "s" });

        Assert.Empty(ScriptValidation.Validate(fine));
        Assert.Contains(ScriptValidation.Validate(spinning), p => p is { Code: "loop_without_ask", Node: "s" });
    }

    [Fact]
    public void MissingEdgesBadValuesAndDuplicateKeysAreProblems()
    {
        var ask = new AskNode
        {
            Id = "q",
            Prompt = "press",
            TimeoutMs = 0,
            Expect = [new IntentRoute { Intent = "affirm", Next = "bye", Dtmf = "1" }, new IntentRoute { Intent = "affirm", Next = "bye", Dtmf = "1" }],
            NoInput = new RetryHandling { Retries = -1 },
        };
        var script = Minimal(new SayNode { Id = "s", Text = "hi" }, ask, new HangupNode { Id = "bye" });

        var codes = ScriptValidation.Validate(script).Select(p => (p.Node, p.Code)).ToList();

        Assert.Contains(("s", "missing_edge"), codes);
        Assert.Contains(("q", "duplicate_dtmf"), codes);
        Assert.Contains(("q", "invalid_value"), codes);
        Assert.Equal(2, codes.Count(c => c == ("q", "invalid_value")));
    }

    [Fact]
    public void UnreadableJsonIsOneProblemWithItsLine()
    {
        var (script, problems) = ScriptValidation.Parse("{\n  \"id\": \"x\",\n  \"nodes\": [ { \"type\": \"dance\", \"id\": \"a\" } ]\n}");

        Assert.Null(script);
        var problem = Assert.Single(problems);
        Assert.Equal("invalid_json", problem.Code);
        Assert.Contains("line 3", problem.Message);
    }

    [Fact]
    public void ScriptsRoundTripThroughJson()
    {
        var script = RobotDemo.Script("zh");

        var again = ScriptValidation.Parse(ScriptValidation.Serialize(script));

        Assert.Empty(again.Problems);
        Assert.Equal(script.Nodes.Count, again.Script!.Nodes.Count);
        Assert.Equal(script.Nodes.Select(n => n.GetType()), again.Script.Nodes.Select(n => n.GetType()));
        Assert.Equal(ScriptValidation.Serialize(script), ScriptValidation.Serialize(again.Script));
    }

    [Fact]
    public void TemplatesRenderDeclaredValuesAndDropUnknownOnes()
    {
        var values = new Dictionary<string, string> { ["name"] = "Ann" };

        Assert.Equal("Hello Ann, you owe .", Templates.Render("Hello {{ name }}, you owe {{amount}}.", values));
        Assert.Equal(["name", "amount"], Templates.Variables("Hello {{ name }}, you owe {{amount}}."));
    }

    [Theory]
    [InlineData("en", "I want to speak to a human agent", "transfer_to_human")]
    [InlineData("en", "please stop calling me", "do_not_call")]
    [InlineData("zh", "帮我转人工", "transfer_to_human")]
    [InlineData("zh", "别再打了", "do_not_call")]
    [InlineData("zh", "多少钱一个月", "ask_price")]
    public void TheDemoScriptsRecogniserUnderstandsItsIntents(string language, string text, string intent)
    {
        var recogniser = ScriptRecogniser.Train(RobotDemo.Script(language));

        Assert.Equal(intent, recogniser.Classify(text).Intent);
    }
}

public sealed class ScriptSchemaTests
{
    [Fact]
    public void TheSchemaDescribesEveryNodeTypeAndTheRequiredFields()
    {
        var schema = ScriptValidation.Schema().ToJsonString();

        foreach (var type in new[] { "say", "ask", "branch", "collectDtmf", "set", "transfer", "hangup" })
        {
            Assert.Contains($"\"{type}\"", schema);
        }

        Assert.Contains("\"skillGroup\"", schema);
        Assert.Contains("\"globalIntents\"", schema);
        var required = ScriptValidation.Schema()["required"]!.AsArray().Select(n => n!.GetValue<string>());
        Assert.Contains("id", required);
    }
}
