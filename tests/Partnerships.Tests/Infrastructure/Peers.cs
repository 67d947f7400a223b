using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Partnerships.Tests.Infrastructure;

/// <summary>A small web app on a free 127.0.0.1 port.</summary>
public abstract class LocalApp : IAsyncDisposable
{
    private WebApplication? _app;
    public Uri BaseAddress { get; private set; } = null!;

    protected async Task StartAsync(Action<WebApplication> map, int? port = null)
    {
        var builder = WebApplication.CreateSlimBuilder([$"--urls=http://127.0.0.1:{port ?? 0}"]);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        map(_app);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

public sealed record ReceivedWebhook(string Id, long Timestamp, string Signature, string Body, bool SignatureValid, JsonElement Json)
{
    public string Type => Json.GetProperty("type").GetString()!;
}

/// <summary>
/// Receives webhooks and checks each signature with its own implementation of the Standard Webhooks scheme
/// (not the service's code). It can be told to fail, to answer 429 with Retry-After, or to be slow.
/// </summary>
public sealed class WebhookReceiver : LocalApp
{
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private int _overlaps;
    public string Secret { get; set; } = "";
    public string? PreviousSecret { get; set; }
    /// <summary>Answer this status instead of 204 while it is set (attempts still recorded).</summary>
    public int? FailWith { get; set; }
    public int FailuresLeft { get; set; }
    public TimeSpan Delay { get; set; }
    public int Attempts;
    private readonly ConcurrentQueue<DateTimeOffset> _attemptTimes = new();
    public IReadOnlyList<DateTimeOffset> AttemptTimes => _attemptTimes.ToList();

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();
    /// <summary>How often one webhook-id was being delivered twice at the same time (must stay 0).</summary>
    public int ConcurrentDuplicates => _overlaps;
    public string Url => new Uri(BaseAddress, "/hooks").ToString();

    public static async Task<WebhookReceiver> StartNewAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.StartAsync(app => app.MapPost("/hooks", receiver.HandleAsync));
        return receiver;
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        Interlocked.Increment(ref Attempts);
        _attemptTimes.Enqueue(DateTimeOffset.UtcNow);
        var id = request.Headers["webhook-id"].ToString();
        if (_inFlight.AddOrUpdate(id, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref _overlaps);
        try
        {
            using var reader = new StreamReader(request.Body);
            var body = await reader.ReadToEndAsync();
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            if (FailWith is { } status && FailuresLeft != 0)
            {
                if (FailuresLeft > 0) FailuresLeft--;
                if (status == 429) request.HttpContext.Response.Headers.RetryAfter = "2";
                return status == 429 ? Results.Text("slow down", statusCode: 429) : Results.StatusCode(status);
            }
            var timestamp = long.Parse(request.Headers["webhook-timestamp"].ToString(), System.Globalization.CultureInfo.InvariantCulture);
            var signature = request.Headers["webhook-signature"].ToString();
            var valid = Verify(Secret, id, timestamp, body, signature) && (PreviousSecret is null || Verify(PreviousSecret, id, timestamp, body, signature));
            _received.Enqueue(new ReceivedWebhook(id, timestamp, signature, body, valid, JsonDocument.Parse(body).RootElement.Clone()));
            return Results.NoContent();
        }
        finally
        {
            _inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
        }
    }

    /// <summary>Standard Webhooks: any space-separated "v1,&lt;base64 HMAC-SHA256(key, id.timestamp.body)&gt;" must match.</summary>
    public static bool Verify(string secret, string id, long timestamp, string body, string header)
    {
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        using var hmac = new HMACSHA256(key);
        var expected = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        return header.Split(' ').Any(s => s.StartsWith("v1,", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s[3..]), Encoding.ASCII.GetBytes(expected)));
    }

    public async Task<IReadOnlyList<ReceivedWebhook>> WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(Received))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"webhooks received: {string.Join(", ", Received.Select(r => r.Type))}");
            await Task.Delay(50);
        }
        return Received;
    }
}

public sealed record ReceivedMail(string From, IReadOnlyList<string> To, string Data);

/// <summary>A minimal SMTP server (RFC 5321: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) that keeps what it receives.</summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<ReceivedMail> _mail = new();

    private SmtpSink() { }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public IReadOnlyList<ReceivedMail> Mail => _mail.ToList();

    public static SmtpSink Start()
    {
        var sink = new SmtpSink();
        sink._listener.Start();
        _ = sink.AcceptLoopAsync();
        return sink;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 localhost test SMTP");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO": await writer.WriteAsync("250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"); break;
                case "HELO": await writer.WriteLineAsync("250 localhost"); break;
                case "MAIL": from = line[10..].Trim('<', '>', ' '); to.Clear(); await writer.WriteLineAsync("250 OK"); break;
                case "RCPT": to.Add(line[8..].Trim('<', '>', ' ')); await writer.WriteLineAsync("250 OK"); break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } d && d != ".") data.AppendLine(d.StartsWith("..", StringComparison.Ordinal) ? d[1..] : d);
                    _mail.Enqueue(new ReceivedMail(from ?? "", to.ToList(), data.ToString()));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "RSET": from = null; to.Clear(); await writer.WriteLineAsync("250 OK"); break;
                case "NOOP": await writer.WriteLineAsync("250 OK"); break;
                case "QUIT": await writer.WriteLineAsync("221 Bye"); return;
                default: await writer.WriteLineAsync("502 Command not implemented"); break;
            }
        }
    }

    public async Task<IReadOnlyList<ReceivedMail>> WaitForAsync(int count, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (_mail.Count < count)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"mails received: {_mail.Count} of {count}");
            await Task.Delay(50);
        }
        return Mail;
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}

public sealed record StripeCall(string Path, string? IdempotencyKey, string Form);

/// <summary>
/// An in-process stand-in for the two Stripe endpoints payout setup uses. Like Stripe, it answers a repeated
/// Idempotency-Key with the first answer. A test can hold either call open until it releases it (or delay it), make the
/// account call fail with a status of its choice, and start it on a port chosen in advance (so a server can first find
/// nobody listening there).
/// </summary>
public sealed class StripeFake : LocalApp
{
    private readonly ConcurrentQueue<StripeCall> _calls = new();
    private readonly ConcurrentDictionary<string, string> _byKey = new();
    private int _accounts;
    private int _held;
    private int _linksAnswered;
    private TaskCompletionSource? _hold;
    private string? _holdKind;
    public TimeSpan LinkDelay { get; set; }
    public TimeSpan AccountDelay { get; set; }
    /// <summary>While <see cref="FailuresLeft"/> is not 0, the account call answers this status with a Stripe error body and creates nothing.</summary>
    public int? FailWith { get; set; }
    public int FailuresLeft { get; set; }
    public IReadOnlyList<StripeCall> Calls => _calls.ToList();
    public int AccountsCreated => _accounts;
    /// <summary>Calls waiting on <see cref="Hold"/> right now.</summary>
    public int Held => Volatile.Read(ref _held);
    public int LinksAnswered => Volatile.Read(ref _linksAnswered);

    public static async Task<StripeFake> StartNewAsync(int? port = null)
    {
        var fake = new StripeFake();
        await fake.StartAsync(app =>
        {
            app.MapPost("/v1/accounts", (HttpRequest r) => fake.HandleAsync(r, "accounts"));
            app.MapPost("/v1/account_links", (HttpRequest r) => fake.HandleAsync(r, "account_links"));
        }, port);
        return fake;
    }

    /// <summary>Holds every call of this kind ("accounts" or "account_links") open until <see cref="Release"/>.</summary>
    public void Hold(string kind)
    {
        _holdKind = kind;
        _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Release()
    {
        _holdKind = null;
        _hold?.TrySetResult();
    }

    public async Task WaitUntilAsync(Func<StripeFake, bool> done, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!done(this))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Stripe fake: {Calls.Count} calls, {AccountsCreated} accounts, {Held} held");
            await Task.Delay(20);
        }
    }

    private async Task<IResult> HandleAsync(HttpRequest request, string kind)
    {
        using var reader = new StreamReader(request.Body);
        var form = await reader.ReadToEndAsync();
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        _calls.Enqueue(new StripeCall(kind, key, form));
        if (_holdKind == kind && _hold is { } hold)
        {
            Interlocked.Increment(ref _held);
            try { await hold.Task; }
            finally { Interlocked.Decrement(ref _held); }
        }
        if (kind == "account_links" && LinkDelay > TimeSpan.Zero) await Task.Delay(LinkDelay);
        // Not the request's abort token: like Stripe, the work goes on after a client that timed out hangs up.
        if (kind == "accounts" && AccountDelay > TimeSpan.Zero) await Task.Delay(AccountDelay);
        if (kind == "accounts" && FailWith is { } status && FailuresLeft != 0)
        {
            if (FailuresLeft > 0) FailuresLeft--;
            var error = JsonSerializer.Serialize(new { error = new { type = status >= 500 ? "api_error" : "invalid_request_error", message = $"fake failure {status}" } });
            return Results.Text(error, "application/json", statusCode: status);
        }
        var body = key is not null && _byKey.TryGetValue(key, out var cached) ? cached : null;
        if (body is null)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (kind == "accounts")
            {
                var created = JsonSerializer.Serialize(new { id = "acct_" + Guid.NewGuid().ToString("N")[..16], @object = "account", type = "express", created = now });
                body = key is null ? created : _byKey.GetOrAdd(key, created);
                if (ReferenceEquals(body, created)) Interlocked.Increment(ref _accounts);
            }
            else
            {
                var account = System.Web.HttpUtility.ParseQueryString(form)["account"];
                body = JsonSerializer.Serialize(new { @object = "account_link", created = now, expires_at = now + 300, url = $"https://connect.stripe.test/setup/e/{account}/onboarding" });
                if (key is not null) body = _byKey.GetOrAdd(key, body);
            }
        }
        if (kind == "account_links") Interlocked.Increment(ref _linksAnswered);
        return Results.Text(body, "application/json");
    }
}
