using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Partnerships.Tests.Availability;

/// <summary>How one request ended, as its client saw it.</summary>
public enum Ending
{
    /// <summary>A status line, headers and the whole body (as long as Content-Length said, valid JSON).</summary>
    Answered,
    /// <summary>No connection: the server was not listening.</summary>
    Refused,
    /// <summary>The connection failed before any response arrived.</summary>
    Unanswered,
    /// <summary>Headers arrived, then the body broke off or did not parse: must never happen.</summary>
    CutOff,
}

public sealed record Attempt(int Client, string Kind, TimeSpan StartedAt, TimeSpan Took, Ending Ending, int Status, bool RetryAfter,
    string? Error, string? Key, string? Name, string? Detail)
{
    public TimeSpan EndedAt => StartedAt + Took;
}

/// <summary>
/// Concurrent partner clients, each on its own account: a PUT of the marketplace controls (a fresh name and Idempotency-Key
/// each time), then a GET, round after round. Every attempt is recorded with its timing and how it ended.
/// </summary>
public sealed class WriteLoad
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Attempt> _attempts = new();

    public TimeSpan Now => _clock.Elapsed;
    public IReadOnlyList<Attempt> Attempts => _attempts.ToList();

    public static string ControlsPath(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    /// <summary>Runs one client until <paramref name="stop"/> is cancelled or, when <paramref name="untilRefused"/>, the server refuses a connection.</summary>
    public async Task RunClientAsync(int index, HttpClient client, string accountId, CancellationToken stop, bool untilRefused = false)
    {
        for (var round = 1; !stop.IsCancellationRequested; round++)
        {
            var name = $"client {index} round {round}";
            var key = Guid.NewGuid().ToString();
            var body = JsonSerializer.Serialize(new { name, blockedVerticals = Array.Empty<object>(), domains = Array.Empty<object>() });
            var put = await SendAsync(index, client, "PUT", ControlsPath(accountId), body, key, name);
            if (untilRefused && put.Ending == Ending.Refused) return;
            var get = await SendAsync(index, client, "GET", ControlsPath(accountId), null, null, null);
            if (untilRefused && get.Ending == Ending.Refused) return;
            // A client told to come back later pauses briefly (not the whole Retry-After, to keep probing the outage).
            if (put.Status == 503 || get.Status == 503) await Task.Delay(100, CancellationToken.None);
        }
    }

    public async Task<Attempt> SendAsync(int index, HttpClient client, string method, string path, string? json, string? key, string? name)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var started = _clock.Elapsed;
        Attempt Done(Ending ending, int status = 0, bool retryAfter = false, string? error = null, string? detail = null)
        {
            var attempt = new Attempt(index, method, started, _clock.Elapsed - started, ending, status, retryAfter, error, key, name, detail);
            _attempts.Enqueue(attempt);
            return attempt;
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            var refused = e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };
            return Done(refused ? Ending.Refused : Ending.Unanswered, detail: e.HttpRequestError + ": " + e.Message);
        }
        catch (TaskCanceledException e)
        {
            return Done(Ending.Unanswered, detail: "client time-out: " + e.Message);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var retryAfter = response.Headers.RetryAfter is not null;
            byte[] bytes;
            try
            {
                bytes = await response.Content.ReadAsByteArrayAsync();
            }
            catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
            {
                return Done(Ending.CutOff, status, retryAfter, detail: e.Message);
            }
            if (response.Content.Headers.ContentLength is { } length && length != bytes.Length)
            {
                return Done(Ending.CutOff, status, retryAfter, detail: $"{bytes.Length} of {length} bytes");
            }
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                var error = doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
                return Done(Ending.Answered, status, retryAfter, error);
            }
            catch (JsonException e)
            {
                return Done(Ending.CutOff, status, retryAfter, detail: "body is not JSON: " + e.Message);
            }
        }
    }

    /// <summary>"200=…, 503=…, refused=…" for the attempts given.</summary>
    public static string Tally(IEnumerable<Attempt> attempts) => string.Join(", ", attempts
        .GroupBy(a => a.Ending == Ending.Answered ? a.Status.ToString(System.Globalization.CultureInfo.InvariantCulture) : a.Ending.ToString().ToLowerInvariant())
        .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}={g.Count()}"));
}
