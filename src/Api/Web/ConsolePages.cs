using Microsoft.Extensions.FileProviders;

namespace Aicc.Api.Web;

/// <summary>
/// Serves the browser pages people use (the agent console at /agent, the wallboard at
/// /wallboard) from files embedded in the host, so the single binary carries its own UI.
/// </summary>
public static class ConsolePages
{
    private static readonly EmbeddedFileProvider Assets = new(typeof(ConsolePages).Assembly, "Aicc.Api.Web.Assets");

    public static WebApplication MapConsolePages(this WebApplication app)
    {
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Assets,
            RequestPath = "/ui",
            // The pages change with the binary; a stale script next to a new API would break them.
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        app.MapGet("/agent", () => Page("agent.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/wallboard", () => Page("wallboard.html")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Page(string name)
    {
        var file = Assets.GetFileInfo(name);
        return file.Exists
            ? Results.Stream(file.CreateReadStream(), "text/html; charset=utf-8")
            : Results.NotFound();
    }
}
