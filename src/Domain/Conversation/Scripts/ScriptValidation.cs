using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aicc.Domain.Conversation.Scripts;

/// <summary>
/// One thing wrong with a script, tied to the node it is about (null for script-wide
/// problems) and a stable code a UI can key on.
/// </summary>
public sealed record ScriptProblem(
    [property: JsonPropertyName("node")] string? Node,
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>
/// Reads and checks script documents. Every problem is collected and returned at once, so
/// an author fixes a script in one round instead of one error per upload.
/// </summary>
public static class ScriptValidation
{
    /// <summary>Variables the dialog engine fills in itself.</summary>
    public static readonly IReadOnlySet<string> SystemVariables = new HashSet<string>(StringComparer.Ordinal) { "last_intent", "last_utterance" };

    private static readonly string[] Languages = ["en", "zh"];

    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        AllowOutOfOrderMetadataProperties = true,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a script document; a JSON that cannot be read is itself a problem.</summary>
    public static (DialogScript? Script, IReadOnlyList<ScriptProblem> Problems) Parse(string json)
    {
        try
        {
            var script = JsonSerializer.Deserialize<DialogScript>(json, JsonOptions);
            if (script is null)
            {
                return (null, [new ScriptProblem(null, "invalid_json", "the document is null")]);
            }

            return (script, Validate(script));
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, {ex.Path})" : string.Empty;
            return (null, [new ScriptProblem(null, "invalid_json", ex.Message.Split(" Path:")[0] + where)]);
        }
    }

    public static string Serialize(DialogScript script) => JsonSerializer.Serialize(script, JsonOptions);

    /// <summary>
    /// The JSON Schema of the script document, generated from the records so it cannot drift
    /// from what the parser accepts (served beside the OpenAPI document, printed by the CLI).
    /// </summary>
    public static System.Text.Json.Nodes.JsonNode Schema()
    {
        var options = new JsonSerializerOptions(JsonOptions) { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() };
        return System.Text.Json.Schema.JsonSchemaExporter.GetJsonSchemaAsNode(options, typeof(DialogScript));
    }

    public static IReadOnlyList<ScriptProblem> Validate(DialogScript script)
    {
        var problems = new List<ScriptProblem>();
        var nodes = new Dictionary<string, ScriptNode>(StringComparer.Ordinal);
        foreach (var node in script.Nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                problems.Add(new(null, "missing_id", "a node has no id"));
            }
            else if (!nodes.TryAdd(node.Id, node))
            {
                problems.Add(new(node.Id, "duplicate_node", $"node id '{node.Id}' is used more than once"));
            }
        }

        if (!Languages.Contains(script.Language))
        {
            problems.Add(new(null, "invalid_value", $"language '{script.Language}' is not one of {string.Join(", ", Languages)}"));
        }

        if (string.IsNullOrWhiteSpace(script.Start))
        {
            problems.Add(new(null, "missing_start", "the script names no start node"));
        }
        else if (!nodes.ContainsKey(script.Start))
        {
            problems.Add(new(script.Start, "missing_start", $"start node '{script.Start}' does not exist"));
        }

        CheckEdges(script, nodes, problems);
        CheckIntents(script, problems);
        CheckVariables(script, problems);
        CheckValues(script, problems);
        CheckReachability(script, nodes, problems);
        CheckLoops(script, nodes, problems);
        return problems;
    }

    private static void CheckEdges(DialogScript script, Dictionary<string, ScriptNode> nodes, List<ScriptProblem> problems)
    {
        foreach (var node in script.Nodes)
        {
            foreach (var edge in node.Edges)
            {
                if (edge is null)
                {
                    problems.Add(new(node.Id, "missing_edge", $"node '{node.Id}' does not say where to go next"));
                }
                else if (!nodes.ContainsKey(edge))
                {
                    problems.Add(new(node.Id, "dangling_edge", $"node '{node.Id}' leads to '{edge}', which does not exist"));
                }
            }
        }

        foreach (var route in script.GlobalIntents)
        {
            if (!nodes.ContainsKey(route.Next))
            {
                problems.Add(new(null, "dangling_edge", $"global intent '{route.Intent}' leads to '{route.Next}', which does not exist"));
            }
        }
    }

    private static void CheckIntents(DialogScript script, List<ScriptProblem> problems)
    {
        var known = script.Intents.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var intent in script.Intents.Where(i => i.Examples.Count == 0 && i.Keywords.Count == 0))
        {
            problems.Add(new(null, "intent_without_examples", $"intent '{intent.Name}' has neither examples nor keywords"));
        }

        foreach (var duplicate in script.Intents.GroupBy(i => i.Name).Where(g => g.Count() > 1))
        {
            problems.Add(new(null, "duplicate_intent", $"intent '{duplicate.Key}' is declared more than once"));
        }

        foreach (var route in script.GlobalIntents.Where(r => !known.Contains(r.Intent)))
        {
            problems.Add(new(null, "unknown_intent", $"global intent '{route.Intent}' is not in the script's intents"));
        }

        foreach (var node in script.Nodes)
        {
            var used = node switch
            {
                AskNode ask => ask.Expect.Select(e => e.Intent),
                BranchNode { Variable: null } branch => branch.Cases.Select(c => c.EqualTo),
                _ => [],
            };
            foreach (var intent in used.Where(i => !known.Contains(i)))
            {
                problems.Add(new(node.Id, "unknown_intent", $"node '{node.Id}' expects intent '{intent}', which is not in the script's intents"));
            }
        }
    }

    private static void CheckVariables(DialogScript script, List<ScriptProblem> problems)
    {
        var declared = script.Variables.Concat(SystemVariables)
            .Concat(script.Nodes.OfType<SetVariableNode>().Select(n => n.Variable))
            .Concat(script.Nodes.OfType<CollectDtmfNode>().Select(n => n.Variable))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var node in script.Nodes)
        {
            var used = node.Texts.SelectMany(Templates.Variables);
            if (node is BranchNode { Variable: { } tested })
            {
                used = used.Append(tested);
            }

            foreach (var variable in used.Distinct().Where(v => !declared.Contains(v)))
            {
                problems.Add(new(node.Id, "missing_variable", $"node '{node.Id}' uses variable '{variable}', which is not declared"));
            }
        }
    }

    private static void CheckValues(DialogScript script, List<ScriptProblem> problems)
    {
        foreach (var node in script.Nodes)
        {
            switch (node)
            {
                case SayNode say when string.IsNullOrWhiteSpace(say.Text) && string.IsNullOrWhiteSpace(say.Audio):
                    problems.Add(new(node.Id, "missing_text", $"say node '{node.Id}' has neither text nor audio"));
                    break;
                case AskNode ask:
                    if (string.IsNullOrWhiteSpace(ask.Prompt) && string.IsNullOrWhiteSpace(ask.Audio))
                    {
                        problems.Add(new(node.Id, "missing_text", $"ask node '{node.Id}' has no prompt"));
                    }

                    if (ask.Expect.Count == 0)
                    {
                        problems.Add(new(node.Id, "no_expected_intents", $"ask node '{node.Id}' expects no intent"));
                    }

                    CheckRetries(node.Id, "noInput", ask.NoInput, problems);
                    CheckRetries(node.Id, "noMatch", ask.NoMatch, problems);
                    CheckTimeout(node.Id, ask.TimeoutMs, problems);
                    foreach (var digit in ask.Expect.Where(e => e.Dtmf is not null).GroupBy(e => e.Dtmf).Where(g => g.Count() > 1))
                    {
                        problems.Add(new(node.Id, "duplicate_dtmf", $"ask node '{node.Id}' maps key '{digit.Key}' to more than one intent"));
                    }

                    foreach (var bad in ask.Expect.Where(e => e.Dtmf is not null && !IsDtmfKey(e.Dtmf)))
                    {
                        problems.Add(new(node.Id, "invalid_value", $"ask node '{node.Id}': '{bad.Dtmf}' is not a DTMF key"));
                    }

                    break;
                case CollectDtmfNode collect:
                    if (collect.MaxDigits < 1)
                    {
                        problems.Add(new(node.Id, "invalid_value", $"collectDtmf node '{node.Id}': maxDigits must be at least 1"));
                    }

                    if (collect.Terminator is { } terminator && !IsDtmfKey(terminator))
                    {
                        problems.Add(new(node.Id, "invalid_value", $"collectDtmf node '{node.Id}': terminator '{terminator}' is not a DTMF key"));
                    }

                    CheckRetries(node.Id, "noInput", collect.NoInput, problems);
                    CheckTimeout(node.Id, collect.TimeoutMs, problems);
                    break;
                case TransferNode transfer when string.IsNullOrWhiteSpace(transfer.SkillGroup):
                    problems.Add(new(node.Id, "invalid_value", $"transfer node '{node.Id}' names no skill group"));
                    break;
            }
        }
    }

    private static bool IsDtmfKey(string key) => key.Length == 1 && "0123456789*#ABCD".Contains(key[0]);

    private static void CheckRetries(string node, string what, RetryHandling handling, List<ScriptProblem> problems)
    {
        if (handling.Retries < 0)
        {
            problems.Add(new(node, "invalid_value", $"node '{node}': {what}.retries must not be negative"));
        }
    }

    private static void CheckTimeout(string node, int timeoutMs, List<ScriptProblem> problems)
    {
        if (timeoutMs <= 0)
        {
            problems.Add(new(node, "invalid_value", $"node '{node}': timeoutMs must be positive"));
        }
    }

    private static void CheckReachability(DialogScript script, Dictionary<string, ScriptNode> nodes, List<ScriptProblem> problems)
    {
        if (script.Start is null || !nodes.ContainsKey(script.Start))
        {
            return;
        }

        var reached = new HashSet<string>(StringComparer.Ordinal) { script.Start };
        var pending = new Queue<string>([script.Start]);
        var globalsAdded = false;
        while (pending.Count > 0)
        {
            var node = nodes[pending.Dequeue()];
            var next = node.Edges.OfType<string>();
            if (node.WaitsForCaller && node is AskNode && !globalsAdded)
            {
                // Global intents are heard at every ask node, so their targets hang off the first one reached.
                globalsAdded = true;
                next = next.Concat(script.GlobalIntents.Select(r => r.Next));
            }

            foreach (var target in next.Where(t => nodes.ContainsKey(t) && reached.Add(t)))
            {
                pending.Enqueue(target);
            }
        }

        foreach (var node in script.Nodes.Where(n => !string.IsNullOrWhiteSpace(n.Id) && !reached.Contains(n.Id)).DistinctBy(n => n.Id))
        {
            problems.Add(new(node.Id, "unreachable_node", $"node '{node.Id}' cannot be reached from the start node"));
        }
    }

    private static void CheckLoops(DialogScript script, Dictionary<string, ScriptNode> nodes, List<ScriptProblem> problems)
    {
        // Tarjan's strongly connected components over the nodes that do not wait for the
        // caller: any cycle there would spin (or talk) forever without the caller's turn.
        var index = 0;
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);

        IEnumerable<string> Successors(ScriptNode node) =>
            node.Edges.OfType<string>().Where(e => nodes.TryGetValue(e, out var target) && !target.WaitsForCaller);

        void Connect(string id)
        {
            indices[id] = lowLinks[id] = index++;
            stack.Push(id);
            onStack.Add(id);
            foreach (var next in Successors(nodes[id]))
            {
                if (!indices.ContainsKey(next))
                {
                    Connect(next);
                    lowLinks[id] = Math.Min(lowLinks[id], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[id] = Math.Min(lowLinks[id], indices[next]);
                }
            }

            if (lowLinks[id] != indices[id])
            {
                return;
            }

            var component = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != id);

            var selfLoop = component.Count == 1 && Successors(nodes[id]).Contains(id);
            if (component.Count > 1 || selfLoop)
            {
                component.Reverse();
                var order = script.Nodes.Select(n => n.Id).ToList();
                component.Sort((a, b) => order.IndexOf(a).CompareTo(order.IndexOf(b)));
                problems.Add(new(component[0], "loop_without_ask",
                    $"nodes {string.Join(" -> ", component)} form a loop with no ask or collectDtmf node in it"));
            }
        }

        foreach (var node in nodes.Values.Where(n => !n.WaitsForCaller && !indices.ContainsKey(n.Id)))
        {
            Connect(node.Id);
        }
    }
}
