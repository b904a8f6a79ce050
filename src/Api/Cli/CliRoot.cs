using System.CommandLine;
using Aicc.Api.Hosting;

namespace Aicc.Api.Cli;

/// <summary>
/// The verb tree of the <c>aicc</c> binary. Each capability contributes one verb group from
/// its own file (<c>XxxVerbs.Build()</c>); this list is the only place they meet.
/// </summary>
public static class CliRoot
{
    public static RootCommand Build()
    {
        var root = new RootCommand("AI call center: host, operator and analyst commands.");
        root.Add(ServeVerb.Build());
        root.Add(MigrateVerb.Build());
        root.Add(TenantVerbs.Build());
        JobsVerbs.AddTo(root);
        root.Add(IntentVerbs.Build());
        root.Add(ScriptVerbs.Build());
        root.Add(DialerVerbs.Build());
        root.Add(SipVerbs.Build());
        root.Add(EdgeVerbs.Build());
        root.Add(EventsVerbs.Build());
        root.Add(ProjectionsVerbs.Build());
        AnalystVerbs.AddTo(root);
        root.Add(BenchVerbs.Build());
        return root;
    }
}
