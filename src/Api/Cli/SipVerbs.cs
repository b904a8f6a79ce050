using System.CommandLine;
using Aicc.Telephony.Sip.Messages;

namespace Aicc.Api.Cli;

/// <summary>
/// <c>aicc sip ...</c>: offline SIP tools. <c>lint</c> checks message files against the
/// RFC 3261 grammar the stack enforces, one JSON line per file, so captured traffic and
/// conformance vectors can be checked from a shell.
/// </summary>
public static class SipVerbs
{
    public static Command Build()
    {
        var files = new Argument<string[]>("files") { Description = "Files each holding one SIP message (as one datagram)", Arity = ArgumentArity.OneOrMore };
        var lint = new Command("lint", "Parse SIP message files; prints {file,kind,valid,method,status,error} per file; exit 0 only if all are valid") { files };
        lint.SetAction((parse, ct) =>
        {
            var allValid = true;
            foreach (var file in parse.GetValue(files) ?? [])
            {
                if (!File.Exists(file))
                {
                    throw new CliException($"No such file: {file}");
                }

                var report = SipLintReport.Of(file, File.ReadAllBytes(file));
                allValid &= report.Valid;
                Console.Out.WriteLine(report.ToJson());
            }

            return Task.FromResult(allValid ? 0 : 1);
        });

        return new Command("sip", "SIP tools (offline)") { lint };
    }
}
