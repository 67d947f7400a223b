using Partnerships.Api.Hosting.OpenApi;

namespace Partnerships.Api.Hosting;

/// <summary>GET /: a small page for a person who opens the service in a browser — where the console, the reference and the probes are.</summary>
public static class IndexPage
{
    public const string Path = "/";

    public static void MapIndexPage(this WebApplication app) =>
        app.MapGet(Path, () => Results.Content(Html, "text/html; charset=utf-8"))
            .AllowAnonymous().ExcludeFromDescription();

    // Static: nothing on it depends on the request, so it is rendered once.
    private static readonly string Html = $$"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Partnerships API</title>
        <style>
        body { font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1b1b1b; }
        a { color: #0b57d0; }
        a:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
        code { background: #f2f2f2; padding: 0 .25rem; }
        </style>
        </head>
        <body>
        <header>
        <h1>Partnerships API</h1>
        <p>The partner API for platforms and merchants, and the operator surface that runs it.</p>
        </header>
        <main>
        <nav aria-labelledby="start">
        <h2 id="start">Start here</h2>
        <ul>
        <li><a href="/console">Console</a>: operators sign in with an admin key, partners with their client credentials.</li>
        <li><a href="{{OpenApiSetup.ReferencePath}}">API reference</a> (the <a href="{{OpenApiSetup.DocumentPath}}">OpenAPI document</a>).</li>
        </ul>
        </nav>
        <section aria-labelledby="operations">
        <h2 id="operations">Health and telemetry</h2>
        <ul>
        <li><a href="{{ServiceHealth.LivePath}}">/healthz</a>: the process is alive.</li>
        <li><a href="{{ServiceHealth.ReadyPath}}">/readyz</a>: ready for traffic (the store answers and is migrated, the outbox dispatcher runs, not stopping); 503 otherwise.</li>
        <li><a href="{{Telemetry.MetricsPath}}">/metrics</a>: Prometheus metrics; needs an admin key (<code>Authorization: Bearer padm_…</code>).</li>
        </ul>
        </section>
        </main>
        <footer>
        <p>Every response carries an <code>X-Request-Id</code>; quote it when you report a problem.</p>
        </footer>
        </body>
        </html>
        """;
}
