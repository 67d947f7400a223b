using System.Net;
using System.Text.RegularExpressions;

namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// The console over plain HTTP, as a browser without script would use it: cookies kept, no redirect followed, each form
/// posted with the anti-forgery token of the page it came from.
/// </summary>
public sealed partial class ConsoleHttp(Uri server) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private HttpClient? _client;
    private HttpClient Http => _client ??= new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseCookies = true })
    {
        BaseAddress = server, Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>The Cookie header this session sends to console pages (to replay it elsewhere).</summary>
    public string CookieHeader => _cookies.GetCookieHeader(new Uri(server, "/console/"));

    public sealed record Page(HttpStatusCode Status, string Html, HttpResponseMessage Response)
    {
        public string? Location => Response.Headers.Location?.OriginalString;
        public IReadOnlyList<string> SetCookies => Response.Headers.TryGetValues("Set-Cookie", out var v) ? v.ToList() : [];
        public string? AntiforgeryToken => TokenPattern().Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
    }

    public async Task<Page> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>GETs <paramref name="path"/>, then posts <paramref name="fields"/> to <paramref name="action"/> (default: the same path) with that page's token.</summary>
    public async Task<Page> SubmitAsync(string path, IDictionary<string, string> fields, string? action = null, bool withToken = true)
    {
        var form = await GetAsync(path);
        var body = new Dictionary<string, string>(fields);
        if (withToken) body["__RequestVerificationToken"] = form.AntiforgeryToken ?? throw new InvalidOperationException($"{path} has no anti-forgery token:\n{form.Html}");
        return await PostAsync(action ?? path, body);
    }

    public async Task<Page> PostAsync(string path, IDictionary<string, string> fields)
    {
        var response = await Http.PostAsync(path, new FormUrlEncodedContent(fields));
        return new Page(response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public Task<Page> SignInOperatorAsync(string adminKey) =>
        SubmitAsync("/console/operator/sign-in", new Dictionary<string, string> { ["admin_key"] = adminKey });

    public Task<Page> SignInPartnerAsync(string clientId, string clientSecret) =>
        SubmitAsync("/console/partner/sign-in", new Dictionary<string, string> { ["client_id"] = clientId, ["client_secret"] = clientSecret });

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
