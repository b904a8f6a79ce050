using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Scripts;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc script ...</c>: offline tools for dialog scripts, running the same validation an
/// upload does so authors can check a script before it reaches a tenant.
/// </summary>
public static class ScriptVerbs
{
    public static Command Build()
    {
        var group = new Command("script", "Dialog script tools (offline).");
        group.Add(BuildCheck());
        group.Add(BuildDemo());
        group.Add(BuildSchema());
        return group;
    }

    private static Command BuildCheck()
    {
        var file = new Argument<FileInfo>("file") { Description = "The script document (JSON)" };
        var command = new Command("check", "Validate a script; prints every problem as JSON, exit code 0 only when valid.") { file };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                throw new CliException($"{path.FullName}: no such file");
            }

            var (script, problems) = ScriptValidation.Parse(File.ReadAllText(path.FullName));
            var output = new JsonObject
            {
                ["file"] = path.FullName,
                ["id"] = script?.Id,
                ["version"] = script?.Version,
                ["valid"] = problems.Count == 0,
                ["problems"] = JsonSerializer.SerializeToNode(problems, ScriptValidation.JsonOptions),
            };
            Console.WriteLine(output.ToJsonString(ScriptValidation.JsonOptions));
            return problems.Count == 0 ? 0 : 1;
        });
        return command;
    }

    private static Command BuildSchema()
    {
        var command = new Command("schema", "Print the JSON Schema of the script document.");
        command.SetAction(parse =>
        {
            Console.WriteLine(ScriptValidation.Schema().ToJsonString(ScriptValidation.JsonOptions));
            return 0;
        });
        return command;
    }

    private static Command BuildDemo()
    {
        var language = new Argument<string>("language") { Description = "en or zh" };
        language.AcceptOnlyFromAmong("en", "zh");
        var command = new Command("demo", "Print the demo tenant's script for a language.") { language };
        command.SetAction(parse =>
        {
            Console.WriteLine(RobotDemo.Read($"script.demo-{parse.GetValue(language)}.json"));
            return 0;
        });
        return command;
    }
}
