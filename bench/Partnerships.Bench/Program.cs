using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Partnerships.Api.Hosting;
using Partnerships.Storage;
using Partnerships.Testing;

// GET and PUT of the marketplace controls through the full service (auth, tenancy, pipeline, idempotency, audit),
// against a bare Kestrel endpoint doing the same single read / single transaction on the same store, in the same run.
// Usage: dotnet run -c Release --project bench/Partnerships.Bench -- [seconds-per-run=10] [connections=32] [sqlite|postgres|both]

var seconds = args.Length > 0 ? int.Parse(args[0]) : 10;
var connections = args.Length > 1 ? int.Parse(args[1]) : 32;
var stores = args.Length > 2 ? args[2] : "both";
var results = new List<string>();

if (stores is "sqlite" or "both")
{
    var dir = Directory.CreateTempSubdirectory("partnerships-bench-");
    await RunStoreAsync("sqlite", $"Data Source={Path.Combine(dir.FullName, "bench.db")}");
}
if (stores is "postgres" or "both")
{
    await using var cluster = await PostgresCluster.StartAsync();
    await RunStoreAsync("postgres", await cluster.CreateDatabaseAsync());
}

Console.WriteLine();
Console.WriteLine($"| store | request | service req/s | baseline req/s | ratio | service p99 ms | baseline p99 ms | ratio |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var line in results) Console.WriteLine(line);
return 0;

async Task RunStoreAsync(string provider, string connectionString)
{
    var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    var secretsKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    await new Migrator(new Database(new StoreOptions(StoreOptions.ParseProvider(provider), connectionString)),
        new Partnerships.Storage.DataMigrations.MigrationContext { SecretKey = Convert.FromBase64String(secretsKey) }).MigrateAsync();
    var app = PartnershipsApp.Create([
        "--urls=http://127.0.0.1:0", $"--Store:Provider={provider}", $"--Store:ConnectionString={connectionString}",
        "--Store:AutoMigrate=false", "--Demo:Seed=true", $"--Auth:SigningKey={key}", $"--Secrets:EncryptionKey={secretsKey}", "--Logging:LogLevel:Default=Error",
        $"--Store:DataDirectory={Path.Combine(Path.GetTempPath(), "partnerships-bench-data")}",
    ]);
    var demo = (await PartnershipsApp.PrepareAsync(app))!.Value.Platforms[0];
    await app.StartAsync();
    // The limiter stays on: the bench platform's budgets are raised the way operators raise them, not switched off.
    var limits = app.Services.GetRequiredService<Partnerships.Application.Operators.RateLimitSettings>();
    foreach (var policy in Partnerships.Application.RateLimits.RateLimitPolicies.All)
    {
        await limits.SetAsync(Partnerships.Application.Operators.OperatorActor.System("bench"), demo.PlatformParentAccountId, policy.Name,
            Partnerships.Application.Operators.RateLimitSettings.MaxPerMinute);
    }
    var serviceUrl = app.Urls.First();

    using var setup = new HttpClient { BaseAddress = new Uri(serviceUrl) };
    var tokenReply = await setup.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "client_credentials", ["client_id"] = demo.ClientId, ["client_secret"] = demo.ClientSecret,
    }));
    var token = (await tokenReply.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    setup.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var register = await setup.PostAsync("/v1/accounts/register/partnership", Json(new
    {
        brand = "Bench", vertical_id = 1500, sub_vertical_id = 1610, country_code = "US", platform_parent_account_id = demo.PlatformParentAccountId,
        store_identifier = "https://bench.example.com", external_account_id = "bench-" + Guid.NewGuid().ToString("N"),
    }));
    var accountId = (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("account_id").GetString()!;
    var path = $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    // The baseline: the same store, one read or one write transaction per request, no auth, no pipeline.
    var db = new Database(new StoreOptions(StoreOptions.ParseProvider(provider), connectionString));
    var baseline = BaselineApp(db, accountId);
    await baseline.StartAsync();
    var baselineUrl = baseline.Urls.First();

    var body = """{"name":"Bench","blockedVerticals":[{"partnerVerticalId":1500,"partnerSubVerticalId":1610,"policy":"Block"}],"domains":[]}""";
    var serviceGet = await LoadAsync(serviceUrl, token, _ => new HttpRequestMessage(HttpMethod.Get, path));
    var baseGet = await LoadAsync(baselineUrl, null, _ => new HttpRequestMessage(HttpMethod.Get, "/read"));
    var servicePut = await LoadAsync(serviceUrl, token, i => Put(path, body.Replace("Bench", "Bench " + (i % 2)), Guid.NewGuid().ToString()));
    var basePut = await LoadAsync(baselineUrl, null, i => Put("/write", body, null));
    results.Add(Row(provider, "GET controls", serviceGet, baseGet));
    results.Add(Row(provider, "PUT controls", servicePut, basePut));

    await baseline.StopAsync();
    await app.StopAsync();
}

static HttpRequestMessage Put(string path, string body, string? key)
{
    var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    if (key is not null) request.Headers.Add("Idempotency-Key", key);
    return request;
}

static StringContent Json(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

WebApplication BaselineApp(Database db, string accountId)
{
    var builder = WebApplication.CreateSlimBuilder(["--urls=http://127.0.0.1:0"]);
    builder.Logging.ClearProviders();
    var app = builder.Build();
    app.MapGet("/read", async () =>
    {
        await using var c = await db.OpenAsync();
        var row = await c.QuerySingleAsync<string>("SELECT state_json FROM marketplace_controls WHERE account_id = @accountId", new { accountId });
        return Results.Text(row, "application/json");
    });
    app.MapPut("/write", async (HttpRequest request) =>
    {
        using var doc = await JsonDocument.ParseAsync(request.Body);
        await using var c = await db.OpenAsync();
        await using var tx = await db.BeginWriteAsync(c);
        await c.ExecuteAsync($"SELECT account_id FROM marketplace_controls WHERE account_id = @accountId{db.ForUpdate}", new { accountId }, tx);
        await c.ExecuteAsync("UPDATE marketplace_controls SET state_json = @state, updated_at = @at WHERE account_id = @accountId",
            new { accountId, state = doc.RootElement.GetRawText(), at = Database.Timestamp(DateTimeOffset.UtcNow) }, tx);
        await tx.CommitAsync();
        return Results.Text(doc.RootElement.GetRawText(), "application/json");
    });
    return app;
}

async Task<(double Rps, double P99, int Errors)> LoadAsync(string baseUrl, string? token, Func<long, HttpRequestMessage> make)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    // Warm-up, then a bounded measured run.
    await RunAsync(client, make, TimeSpan.FromSeconds(Math.Max(1, seconds / 5)), null);
    var latencies = new List<double>();
    var (count, errors, elapsed) = await RunAsync(client, make, TimeSpan.FromSeconds(seconds), latencies);
    latencies.Sort();
    var p99 = latencies.Count == 0 ? 0 : latencies[(int)Math.Min(latencies.Count - 1, Math.Ceiling(latencies.Count * 0.99) - 1)];
    return (count / elapsed.TotalSeconds, p99, errors);
}

async Task<(long Count, int Errors, TimeSpan Elapsed)> RunAsync(HttpClient client, Func<long, HttpRequestMessage> make, TimeSpan duration, List<double>? latencies)
{
    long count = 0, sequence = 0;
    var errors = 0;
    var stopwatch = Stopwatch.StartNew();
    var perWorker = Enumerable.Range(0, connections).Select(_ => new List<double>()).ToArray();
    await Task.WhenAll(Enumerable.Range(0, connections).Select(async w =>
    {
        while (stopwatch.Elapsed < duration)
        {
            using var request = make(Interlocked.Increment(ref sequence));
            var started = Stopwatch.GetTimestamp();
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            perWorker[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
            Interlocked.Increment(ref count);
        }
    }));
    latencies?.AddRange(perWorker.SelectMany(l => l));
    return (count, errors, stopwatch.Elapsed);
}

static string Row(string store, string name, (double Rps, double P99, int Errors) service, (double Rps, double P99, int Errors) baseline) =>
    $"| {store} | {name} | {service.Rps:F0} | {baseline.Rps:F0} | {service.Rps / baseline.Rps:F2} | {service.P99:F1} | {baseline.P99:F1} | {service.P99 / baseline.P99:F2} |"
    + (service.Errors + baseline.Errors > 0 ? $" errors: {service.Errors}/{baseline.Errors}" : "");
