using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Observability;

/// <summary>GET / is a small accessible HTML page that links the console, the API reference and the probes; the OpenAPI document leaves it out.</summary>
[Collection(SqliteCollection.Name)]
public sealed class IndexPageTests(SqliteServerFixture fixture)
{
    [Fact]
    public async Task The_index_page_links_the_console_the_reference_and_the_probes_and_is_not_in_the_OpenAPI_document()
    {
        using var client = fixture.Server.Client();
        using var response = await client.GetAsync("/");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<!doctype html>", html);
        Assert.Contains("<html lang=\"en\">", html);
        Assert.Contains("<title>Partnerships API</title>", html);
        foreach (var landmark in new[] { "<header>", "<main>", "<nav ", "<footer>", "<h1>", "<h2 " }) Assert.Contains(landmark, html);
        foreach (var href in new[] { "/console", "/reference", "/openapi/v1.json", "/healthz", "/readyz", "/metrics" }) Assert.Contains($"href=\"{href}\"", html);
        Assert.Contains("admin key", html);
        Assert.DoesNotContain("<script", html);

        var document = await client.GetStringAsync("/openapi/v1.json");
        using var json = System.Text.Json.JsonDocument.Parse(document);
        var paths = json.RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain("/", paths);
        Assert.DoesNotContain("/metrics", paths);
        Assert.DoesNotContain("/readyz", paths);
    }
}
