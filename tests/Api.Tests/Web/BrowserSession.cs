using Microsoft.Playwright;

namespace Aicc.Api.Tests.Web;

/// <summary>
/// Debian's headless Chromium driven by Playwright, with every console error and page error of
/// every page collected (the browser tests assert there are none), and screenshots kept.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _baseUrl;

    private BrowserSession(IPlaywright playwright, IBrowser browser, string baseUrl)
    {
        _playwright = playwright;
        _browser = browser;
        _baseUrl = baseUrl;
    }

    public List<string> Errors { get; } = [];

    public static async Task<BrowserSession> StartAsync(Uri baseAddress)
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
        return new BrowserSession(playwright, browser, baseAddress.ToString());
    }

    /// <summary>A browser context of its own (cookies, local storage), like another person's browser.</summary>
    public Task<IBrowserContext> ContextAsync(string locale = "en-US", int width = 1280, int height = 800) =>
        _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = _baseUrl, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = locale,
        });

    public async Task<IPage> OpenAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (Errors)
                {
                    Errors.Add($"{path}: {message.Text} ({message.Location})");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (Errors)
            {
                Errors.Add($"{path}: {error}");
            }
        };
        var response = await page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        return page;
    }

    public static async Task SignInAsync(IPage page, string tenant, string login, string password)
    {
        await page.FillAsync("#login input[name=tenant]", tenant);
        await page.FillAsync("#login input[name=login]", login);
        await page.FillAsync("#login input[name=password]", password);
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#login")).ToBeHiddenAsync();
    }

    /// <summary>Screenshots are kept as test artifacts (artifacts/screenshots) for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "AiCallCenter.slnx")))
        {
            directory = directory.Parent;
        }

        var root = directory?.FullName ?? AppContext.BaseDirectory;
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(root, "artifacts", "screenshots", $"{name}.png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
