using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Partnerships.Api.Hosting;
using Partnerships.Application.Operators;
using Partnerships.Storage;
using Partnerships.Testing;

namespace Partnerships.Tests.Infrastructure;

public enum StoreKind { Sqlite, Postgres }

/// <summary>A clock the tests hold still or move by hand.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;
    public override DateTimeOffset GetUtcNow() => _now;
    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>
/// The real server on a free 127.0.0.1 port over real HTTP, on a fresh store of the given kind, with the demo
/// platforms seeded and an admin key issued. PostgreSQL databases come from the test run's throwaway cluster.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string? _tempDir;

    private TestServer(WebApplication app, string? tempDir, StoreKind kind, string connectionString, string signingKey, string secretKey)
    {
        SecretKey = secretKey;
        _app = app;
        _tempDir = tempDir;
        Kind = kind;
        ConnectionString = connectionString;
        SigningKey = signingKey;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public StoreKind Kind { get; }
    public string ConnectionString { get; }
    public string SigningKey { get; }
    /// <summary>Secrets:EncryptionKey (base64): processes sharing this server's store need it to open sealed secrets.</summary>
    public string SecretKey { get; }
    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public string AdminKey { get; private set; } = "";
    public string AdminKeyId { get; private set; } = "";
    /// <summary>The first admin key, created by the first start of a fresh store (the embedded default's banner key).</summary>
    public IssuedAdminKeyView? FirstAdminKey { get; private set; }
    public IReadOnlyList<DemoPlatform> Demo { get; private set; } = [];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<DemoPlatform>> SeededDemos = new();
    public DemoPlatform DemoOne => Demo[0];
    public DemoPlatform DemoMcc => Demo[1];
    public Database Database => Services.GetRequiredService<Database>();

    public static async Task<TestServer> StartAsync(StoreKind kind, IDictionary<string, string?>? settings = null, TimeProvider? clock = null,
        string? connectionString = null, string? signingKey = null, string? secretKey = null, Action<IServiceCollection>? configureServices = null)
    {
        string? tempDir = null;
        if (connectionString is null)
        {
            if (kind == StoreKind.Sqlite)
            {
                tempDir = Path.Combine(Path.GetTempPath(), "partnerships-test-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(tempDir);
                connectionString = $"Data Source={Path.Combine(tempDir, "partnerships.db")}";
            }
            else
            {
                connectionString = await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
            }
        }
        signingKey ??= Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        secretKey ??= Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        // The operator path: migrations run by an explicit command before the server starts (PostgreSQL never auto-migrates).
        var provider = kind == StoreKind.Sqlite ? StoreProvider.Sqlite : StoreProvider.Postgres;
        await new Migrator(new Database(new StoreOptions(provider, connectionString)),
            new Partnerships.Storage.DataMigrations.MigrationContext { SecretKey = Convert.FromBase64String(secretKey) }).MigrateAsync();

        var args = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Store:Provider"] = kind == StoreKind.Sqlite ? "sqlite" : "postgres",
            ["Store:ConnectionString"] = connectionString,
            ["Store:DataDirectory"] = tempDir ?? Path.Combine(Path.GetTempPath(), "partnerships-test-data"),
            ["Store:AutoMigrate"] = "false",
            ["Demo:Seed"] = "true",
            ["Auth:SigningKey"] = signingKey,
            ["Secrets:EncryptionKey"] = secretKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (k, v) in RaisedRateLimits) args[k] = v;
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>()) args[k] = v;

        var app = PartnershipsApp.Create(args.Select(kv => $"--{kv.Key}={kv.Value}").ToArray(), services =>
        {
            if (clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            }
            configureServices?.Invoke(services);
        });
        var demo = await PartnershipsApp.PrepareAsync(app);
        await app.StartAsync();
        var server = new TestServer(app, tempDir, kind, connectionString, signingKey, secretKey)
        {
            // A second server on a store another one seeded prints no secret: it shares the first one's demo credentials.
            Demo = demo?.Platforms is { Count: > 0 } created ? SeededDemos[connectionString] = created : SeededDemos.GetValueOrDefault(connectionString) ?? [],
            FirstAdminKey = demo?.AdminKey,
        };
        var testsKey = await app.Services.GetRequiredService<AdminKeys>().CreateAsync(OperatorActor.System("tests"), "tests");
        (server.AdminKeyId, server.AdminKey) = (testsKey.Id, testsKey.AdminKey);
        return server;
    }

    /// <summary>
    /// Test servers raise every budget far above what the suite sends, so tests that register many merchants on one
    /// platform are not throttled by each other; the rate-limit tests start theirs with <see cref="PublishedRateLimits"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> RaisedRateLimits { get; } =
        Partnerships.Application.RateLimits.RateLimitPolicies.All.ToDictionary(p => "RateLimits:PerMinute:" + p.Name, _ => (string?)"100000000")
            .Append(new KeyValuePair<string, string?>("RateLimits:AnonymousPerIpPerMinute", "100000000")).ToDictionary();

    /// <summary>The published budgets (and the default per-address one), as a deployment without overrides has them.</summary>
    public static IReadOnlyDictionary<string, string?> PublishedRateLimits { get; } =
        Partnerships.Application.RateLimits.RateLimitPolicies.All.ToDictionary(p => "RateLimits:PerMinute:" + p.Name,
                p => (string?)p.PublishedPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Append(new KeyValuePair<string, string?>("RateLimits:AnonymousPerIpPerMinute", "300")).ToDictionary();

    /// <summary>A client whose every response is checked against the served OpenAPI document (<see cref="OpenApiContractHandler"/>).</summary>
    public HttpClient Client(string? bearer = null)
    {
        var client = new HttpClient(new OpenApiContractHandler(BaseAddress)) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public HttpClient AdminClient() => Client(AdminKey);

    public async Task<string> TokenAsync(string clientId, string clientSecret)
    {
        using var client = Client();
        var response = await client.PostAsync("/api/v1/oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = clientSecret,
        }));
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"token: {(int)response.StatusCode} {json}");
        return json.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client authenticated as the first demo platform (the seeds' mapping pairs).</summary>
    public async Task<HttpClient> DemoClientAsync() => Client(await TokenAsync(DemoOne.ClientId, DemoOne.ClientSecret));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_tempDir is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_tempDir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>One server per store, shared by every test class of that store's collection.</summary>
public abstract class ServerFixture(StoreKind kind) : IAsyncLifetime
{
    public StoreKind Kind { get; } = kind;
    public TestServer Server { get; private set; } = null!;
    public async Task InitializeAsync() => Server = await TestServer.StartAsync(Kind);
    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class SqliteServerFixture() : ServerFixture(StoreKind.Sqlite);
public sealed class PostgresServerFixture() : ServerFixture(StoreKind.Postgres);

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteServerFixture> { public const string Name = "sqlite"; }

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServerFixture> { public const string Name = "postgres"; }
