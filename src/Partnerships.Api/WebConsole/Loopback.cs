using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// The service's own listening address, as the console calls it: the partner pages go through the public API over
/// loopback, so every console action passes the real pipeline (authentication, rate limits, idempotency, dry-run, If-Match).
/// A wildcard host (0.0.0.0, [::], +, *) is reached on loopback; plain http is preferred when both are served.
/// </summary>
public sealed class Loopback(IServer server)
{
    private Uri? _address;

    public Uri BaseAddress => _address ??= Resolve(server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);

    /// <summary>One connection pool for every console call; each call's credentials travel per request, never in the pool.</summary>
    public HttpMessageHandler Handler { get; } = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), UseCookies = false, AllowAutoRedirect = false };

    internal static Uri Resolve(ICollection<string> addresses)
    {
        var parsed = addresses.Select(Parse).Where(u => u is not null).Select(u => u!).ToList();
        var chosen = parsed.FirstOrDefault(u => u.Scheme == Uri.UriSchemeHttp) ?? parsed.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address the console can call.");
        return new Uri(chosen.GetLeftPart(UriPartial.Authority) + "/");
    }

    private static Uri? Parse(string address)
    {
        // Kestrel reports wildcards as given ("http://+:80", "http://*:80", "http://[::]:80").
        var text = address.Replace("://+", "://127.0.0.1").Replace("://*", "://127.0.0.1").Replace("://0.0.0.0", "://127.0.0.1").Replace("://[::]", "://[::1]");
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
    }
}
