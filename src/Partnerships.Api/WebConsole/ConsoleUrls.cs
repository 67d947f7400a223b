namespace Partnerships.Api.WebConsole;

public static class ConsoleUrls
{
    /// <summary>A return address inside the console only (no other site, no other part of the service), else the fallback.</summary>
    public static string SafeReturn(string? url, string fallback) =>
        url is { Length: > 1 } && url.StartsWith("/console", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\') && Uri.TryCreate(url, UriKind.Relative, out _) ? url : fallback;
}
