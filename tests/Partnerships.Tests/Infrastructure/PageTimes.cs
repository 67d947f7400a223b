using System.Diagnostics;

namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// How long console pages take to render, kept with the test results (TestResults/page-times/) for people to read:
/// a figure, never an assertion, since a shared machine's timings say nothing about a change.
/// </summary>
public static class PageTimes
{
    private const int Requests = 20;

    /// <summary>
    /// Requests the page once to warm it, then 20 times; every answer must be a 200 that shows <paramref name="shows"/>
    /// (the page's own data, not a sign-in form or an empty shell) and none of the given secrets.
    /// </summary>
    public static async Task<string> MeasureAsync(ConsoleHttp session, string name, string path, string shows, params string[] secrets)
    {
        var first = await session.GetAsync(path);
        Assert.True((int)first.Status == 200, $"{name} ({path}) answered {(int)first.Status}");
        Assert.True(first.Html.Contains(shows, StringComparison.Ordinal), $"{name} ({path}) does not show '{shows}':\n{first.Html}");
        foreach (var secret in secrets) Assert.DoesNotContain(secret, first.Html);
        var times = new List<double>(Requests);
        for (var i = 0; i < Requests; i++)
        {
            var watch = Stopwatch.StartNew();
            var page = await session.GetAsync(path);
            times.Add(watch.Elapsed.TotalMilliseconds);
            Assert.Equal(200, (int)page.Status);
        }
        times.Sort();
        return $"{name}: p50 {times[times.Count / 2]:0.0} ms, max {times[^1]:0.0} ms ({Requests} GETs)";
    }

    /// <summary>Writes TestResults/page-times/&lt;store&gt;-&lt;role&gt;.txt at the repository root.</summary>
    public static async Task WriteAsync(StoreKind kind, string role, IReadOnlyList<string> lines)
    {
        var report = Path.Combine(Browser.RepositoryRoot(), "TestResults", "page-times", (kind == StoreKind.Sqlite ? "sqlite" : "postgres") + $"-{role}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(report)!);
        await File.WriteAllLinesAsync(report, lines);
    }
}
