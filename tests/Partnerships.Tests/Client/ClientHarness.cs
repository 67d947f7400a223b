using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Partnerships.Client;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>One request as the client sent it.</summary>
public sealed record SentRequest(string Method, string PathAndQuery, string? IdempotencyKey, string? Bearer, string? Body, string? PlatformHeader)
{
    public bool IsToken => PathAndQuery.StartsWith("/api/v1/oauth/token", StringComparison.Ordinal);
}

/// <summary>
/// Sits between the client and the real server: records every request, and can answer in the server's place
/// (<see cref="Before"/>) or lose the server's answer after it was processed (<see cref="LoseAnswer"/>).
/// </summary>
public sealed class FaultHandler : DelegatingHandler
{
    private readonly ConcurrentQueue<SentRequest> _sent = new();

    public FaultHandler() : base(new SocketsHttpHandler()) { }

    public IReadOnlyList<SentRequest> Sent => _sent.ToList();
    public IReadOnlyList<SentRequest> Calls => Sent.Where(r => !r.IsToken).ToList();
    public int TokenRequests => Sent.Count(r => r.IsToken);

    /// <summary>Return an answer to give it instead of the server (null: pass the request on). The argument is the number of calls so far, this one included.</summary>
    public Func<SentRequest, int, CancellationToken, Task<HttpResponseMessage?>>? Before { get; set; }
    /// <summary>Return true to drop the server's answer and fail with a network error, as a lost connection would.</summary>
    public Func<SentRequest, HttpResponseMessage, bool>? LoseAnswer { get; set; }

    private int _calls;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var sent = new SentRequest(request.Method.Method, request.RequestUri!.PathAndQuery,
            request.Headers.TryGetValues("Idempotency-Key", out var keys) ? keys.Single() : null, request.Headers.Authorization?.Parameter, body,
            request.Headers.TryGetValues("X-Platform-Parent-Account-Id", out var platforms) ? platforms.Single() : null);
        _sent.Enqueue(sent);
        var n = sent.IsToken ? 0 : Interlocked.Increment(ref _calls);
        if (!sent.IsToken && Before is { } before && await before(sent, n, cancellationToken) is { } canned) return canned;
        var response = await base.SendAsync(request, cancellationToken);
        if (!sent.IsToken && LoseAnswer?.Invoke(sent, response) == true)
        {
            response.Dispose();
            throw new HttpRequestException("connection reset (injected after the server answered)");
        }
        return response;
    }

    /// <summary>An error envelope as the service sends it.</summary>
    public static HttpResponseMessage Envelope(int status, string error, int? retryAfterSeconds = null, string detailsJson = "[]")
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent($$"""{"status":{{status}},"error":"{{error}}","message":"injected","request_id":"00000000-0000-0000-0000-000000000001","data":null,"details":{{detailsJson}}}""",
                Encoding.UTF8, "application/json"),
        };
        if (retryAfterSeconds is { } s) response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(s));
        return response;
    }
}

public static class ClientHarness
{
    /// <summary>A client for the first demo platform through a <see cref="FaultHandler"/>, with short backoffs.</summary>
    public static (PartnershipsClient Client, FaultHandler Handler) NewClient(TestServer server,
        Func<PartnershipsClientOptions, PartnershipsClientOptions>? tweak = null)
    {
        var handler = new FaultHandler();
        var options = new PartnershipsClientOptions
        {
            BaseAddress = server.BaseAddress, ClientId = server.DemoOne.ClientId, ClientSecret = server.DemoOne.ClientSecret,
            RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(200),
        };
        return (new PartnershipsClient(new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, tweak?.Invoke(options) ?? options), handler);
    }

    public static RegisterAccountRequest Registration(TestServer server, string? externalId = null, string store = "https://acme-outdoor.example.com") => new(
        "Acme Outdoor", 1500, 1610, "US", server.DemoOne.PlatformParentAccountId, store, externalId ?? "ext-" + Guid.NewGuid().ToString("N"),
        "owner@acme-outdoor.example.com", [new PageRequest("confirmation", "Overlay")]);

    public static async Task<Registration> RegisterAsync(this PartnershipsClient client, TestServer server) =>
        (await client.RegisterAccountAsync(Registration(server))).Data;
}
