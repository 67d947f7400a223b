using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// Headless Debian Chromium driven by Selenium through Debian's chromedriver, both named explicitly so Selenium
/// Manager never looks for (or downloads) a browser or driver. One per test class (starting one is slow on two cores),
/// reused by its tests; <see cref="Reset"/> gives each test a signed-out browser. Missing binaries fail the test with
/// the way to install them: a browser test never skips.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";
    public const int Width = 1280, Height = 900;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Shots = new();
    private readonly string _profile;

    public Browser()
    {
        foreach (var binary in new[] { ChromiumPath, DriverPath })
        {
            if (!File.Exists(binary))
            {
                throw new InvalidOperationException($"{binary} is missing: the browser tests need Debian's chromium and chromium-driver packages " +
                    "(scripts/test installs them when run as root; otherwise: apt-get install chromium chromium-driver).");
            }
        }
        // Belt and braces: even if some path were not given, Selenium Manager would not go online.
        Environment.SetEnvironmentVariable("SE_OFFLINE", "true");
        _profile = Path.Combine(Path.GetTempPath(), "partnerships-chromium-" + Guid.NewGuid().ToString("N"));
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", $"--window-size={Width},{Height}", "--disable-gpu",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--password-store=basic", "--hide-scrollbars", $"--user-data-dir={_profile}");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    public string Url => Driver.Url;
    public string Title => Driver.Title;
    public string PageText => Driver.FindElement(By.TagName("body")).Text;

    /// <summary>Where this class's screenshots go: TestResults/screenshots/&lt;store&gt;/ at the repository root.</summary>
    public string? ScreenshotFolder { get; private set; }

    /// <summary>
    /// Names the folder the screenshots go to (the store's name). Numbers run on across every browser of the test run
    /// that shares the folder, so two classes never overwrite each other's pictures; a folder left by an earlier run is emptied.
    /// </summary>
    public void ScreenshotsFor(StoreKind kind)
    {
        ScreenshotFolder = Path.Combine(RepositoryRoot(), "TestResults", "screenshots", kind == StoreKind.Sqlite ? "sqlite" : "postgres");
        lock (Shots)
        {
            if (!Shots.ContainsKey(ScreenshotFolder))
            {
                if (Directory.Exists(ScreenshotFolder)) foreach (var old in Directory.GetFiles(ScreenshotFolder, "*.png")) File.Delete(old);
                Shots[ScreenshotFolder] = 0;
            }
        }
        Directory.CreateDirectory(ScreenshotFolder);
    }

    /// <summary>Signed out of everything: the console's cookies all live under /console on the server's host.</summary>
    public void Reset(Uri server)
    {
        Driver.Navigate().GoToUrl(new Uri(server, "/console/static/console.css"));
        Driver.Manage().Cookies.DeleteAllCookies();
    }

    public void Open(Uri server, string path) => Driver.Navigate().GoToUrl(new Uri(server, path));

    public IWebElement Find(string css) => Wait(() => Driver.FindElements(By.CssSelector(css)).FirstOrDefault(), $"an element matching {css}");

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    /// <summary>The form field whose label reads <paramref name="label"/> (so a test also proves every field it uses has one).</summary>
    public IWebElement Field(string label)
    {
        var element = Wait(() => Driver.FindElements(By.TagName("label")).FirstOrDefault(l => l.Text.Trim() == label), $"a label '{label}'");
        var id = element.GetAttribute("for") ?? throw new InvalidOperationException($"The label '{label}' names no field");
        return Driver.FindElement(By.Id(id));
    }

    public void Fill(string label, string value)
    {
        var field = Field(label);
        field.Clear();
        field.SendKeys(value);
    }

    /// <summary>Clicks the button (or link) whose text (or its first line) is <paramref name="text"/>, inside <paramref name="within"/> when given, and waits for the next page.</summary>
    public void Click(string text, IWebElement? within = null)
    {
        var scope = (ISearchContext?)within ?? Driver;
        var target = Wait(() => scope.FindElements(By.CssSelector("button, a, input[type=submit]"))
            .FirstOrDefault(e => (e.Text.Trim() == text || e.Text.Trim().Split('\n')[0].Trim() == text || e.GetAttribute("value") == text) && e.Displayed),
            $"a button or link '{text}'");
        var page = Driver.FindElement(By.TagName("html"));
        target.Click();
        // A form post or link replaces the document: wait until the old one is gone and the new one has loaded.
        new WebDriverWait(Driver, Patience).Until(_ => IsStale(page) && ((IJavaScriptExecutor)Driver).ExecuteScript("return document.readyState")?.ToString() == "complete");
    }

    /// <summary>The text of the page once it contains <paramref name="text"/>, or a failure that shows what the page said instead.</summary>
    public void ShouldSee(string text)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!PageText.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Expected the page {Url} to show '{text}'; it shows:\n{PageText}");
            Thread.Sleep(50);
        }
    }

    /// <summary>Saves the window as TestResults/screenshots/&lt;store&gt;/&lt;NN-name&gt;.png and returns its path.</summary>
    public string Screenshot(string name)
    {
        if (ScreenshotFolder is null) throw new InvalidOperationException("Call ScreenshotsFor(kind) first");
        var number = Shots.AddOrUpdate(ScreenshotFolder, 1, (_, n) => n + 1);
        var file = Path.Combine(ScreenshotFolder, $"{number:00}-{name}.png");
        // The whole page, not only what the window shows: the window grows to the page's height for the picture.
        var height = Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
        var window = Driver.Manage().Window;
        var before = window.Size;
        window.Size = new System.Drawing.Size(Width, Math.Clamp(height + (before.Height - ViewportHeight()), Height, 6000));
        try
        {
            Driver.GetScreenshot().SaveAsFile(file);
        }
        finally
        {
            window.Size = before;
        }
        return file;
    }

    private int ViewportHeight() =>
        Convert.ToInt32(((IJavaScriptExecutor)Driver).ExecuteScript("return window.innerHeight"), System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsStale(IWebElement element)
    {
        try { _ = element.Enabled; return false; }
        catch (StaleElementReferenceException) { return true; }
        // While the old document is being replaced, chromedriver may answer this instead of a stale reference.
        catch (UnknownErrorException e) when (e.Message.Contains("does not belong to the document", StringComparison.Ordinal)) { return true; }
    }

    private T Wait<T>(Func<T?> find, string what) where T : class
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (find() is { } found) return found;
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Expected {what} on {Url}; the page shows:\n{PageText}");
            Thread.Sleep(50);
        }
    }

    /// <summary>The folder holding Partnerships.sln, found upwards from the test assembly.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Partnerships.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Partnerships.sln above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        try { Driver.Quit(); }
        finally
        {
            Driver.Dispose();
            try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
