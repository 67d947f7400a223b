using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Partnerships.Api.Auth;
using Partnerships.Api.Features;
using Partnerships.Api.Hosting.OpenApi;
using Partnerships.Application.Operators;
using Partnerships.Application.Pipeline;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>Builds and starts the service. Tests and benchmarks use the same entry point with their own settings.</summary>
public static class PartnershipsApp
{
    /// <summary>Reads the settings and builds the service; a setting to fix is a <see cref="StartupException"/>.</summary>
    public static WebApplication Create(string[] args, Action<IServiceCollection>? configureServices = null)
    {
        try
        {
            return Build(args, configureServices);
        }
        catch (Exception e) when (StartupErrors.Configuration(e) is { } failure)
        {
            throw failure;
        }
    }

    private static WebApplication Build(string[] args, Action<IServiceCollection>? configureServices)
    {
        // Whatever the service or its libraries create (database, -wal, -shm, keys, mail) is for its own user only.
        Partnerships.Storage.Secrets.PrivateFiles.RestrictUmask();
        // appsettings.json lives beside the binaries; the data folder stays relative to the working directory.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddTelemetry();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:5080");
        }

        var settings = HostSettings.From(builder.Configuration);
        // The largest route's limit; RequestBodies lowers it per route before reading.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = Math.Max(settings.MaxRequestBodyBytes, settings.MaxBulkBodyBytes));

        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new Database(settings.Store));
        services.AddSecretsAtRest(settings);
        services.AddSingleton(new PipelineOptions { IdempotencyTtl = settings.IdempotencyTtl });
        services.AddSingleton(new Partnerships.Application.SideEffects.SideEffectOptions { OperatorEmail = builder.Configuration["Email:OperatorAddress"] });
        services.AddSingleton<Partnerships.Application.SideEffects.SideEffectRecorder>();
        services.AddSingleton<WritePipeline>();
        services.AddSingleton<Partnerships.Application.ReferenceData.MappingTableCache>();
        services.AddSingleton<Partnerships.Application.ReferenceData.NetworkTaxonomyCache>();
        services.AddSingleton(sp => new Partnerships.Application.CredentialValidity(sp.GetRequiredService<Database>(),
            new Partnerships.Application.CredentialValidityOptions { MaxAge = settings.CredentialCheckMaxAge }));
        services.AddOperatorUseCases();
        services.AddSingleton(settings.RateLimits);
        services.AddSingleton<Partnerships.Storage.RateLimitLedger>();
        services.AddSingleton<Partnerships.Application.RateLimits.RateLimitOverrides>();
        services.AddSingleton<Partnerships.Application.RateLimits.RateLimiter>();
        services.AddSingleton<Partnerships.Api.RateLimiting.AnonymousRateLimiter>();
        services.AddSingleton<AdminAuthFilter>();
        services.AddDelivery(builder.Configuration, settings);
        services.AddPrivacyRequests(builder.Configuration, settings);
        services.AddPartnerAuth(settings);
        services.AddAvailability(builder.Configuration, settings);
        services.AddRetention(builder.Configuration, settings);
        services.AddPartnershipsOpenApi();
        services.AddJsonResponseCompression(settings.Compression);
        services.AddConsole(builder.Configuration);
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => o.SerializerOptions.PropertyNamingPolicy = null);
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.UseRoutingWithHeadAndAllow();
        app.UseMiddleware<ContentLengthMiddleware>();
        // Inside the length middleware, which then states a compressed GET's Content-Length as it does any other's.
        app.UseJsonResponseCompression();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseEnvelopeErrors();
        app.MapConsole();
        app.UseAvailability();
        app.UseMiddleware<ApiErrorMiddleware>();
        app.UseMiddleware<RequestTextGuard>();
        app.Use(AdminAuthFilter.AuditUnmatchedAsync);
        app.UseAuthentication();
        app.UseAuthorization();
        // Authentication, then the platform's rate limit, then tenancy and everything else (inside the endpoints).
        app.UseMiddleware<Partnerships.Api.RateLimiting.PartnerRateLimitMiddleware>();

        app.MapApiDocuments();
        app.MapTelemetry();
        app.MapIndexPage();
        app.MapTokenEndpoint();
        app.MapPartnerApi();
        app.MapAdminApi();
        app.MapSigningKeyAdmin();
        return app;
    }

    /// <summary>
    /// Prepares the store, starts listening, then — on the start that created them only — prints the demo credentials
    /// and the first admin key. Secrets are stored hashed, so no later start can print them; it says how to issue new ones.
    /// </summary>
    public static async Task StartAsync(WebApplication app, TextWriter? console = null)
    {
        var demo = await StartupErrors.PreparingAsync(() => PrepareAsync(app), app.Services.GetRequiredService<HostSettings>().Store);
        await StartupErrors.ListeningAsync(app.StartAsync);
        if (demo is not null)
        {
            PrintDemo(console ?? Console.Out, app, demo.Value.Platforms, demo.Value.AdminKey);
        }
    }

    /// <summary>
    /// Migrations (automatic only where configured), the default network taxonomy, and the embedded default's demo data.
    /// Returns what this start created (empty when it existed already), or null when demo seeding is off.
    /// </summary>
    public static async Task<(IReadOnlyList<DemoPlatform> Platforms, IssuedAdminKeyView? AdminKey)?> PrepareAsync(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<HostSettings>();
        var db = app.Services.GetRequiredService<Database>();
        var migrator = new Migrator(db, new Partnerships.Storage.DataMigrations.MigrationContext { SecretKey = settings.SecretKey });
        if (settings.AutoMigrate)
        {
            await migrator.MigrateAsync();
        }
        else if ((await migrator.PendingAsync()) is { Count: > 0 } pending)
        {
            throw StartupErrors.NotMigrated(pending.Count);
        }
        await app.Services.GetRequiredService<Partnerships.Application.SigningKeyRing>().InitializeAsync();
        await app.Services.GetRequiredService<TaxonomyAdmin>().EnsureDefaultAsync();
        if (settings.SeedDemo)
        {
            var actor = OperatorActor.System("startup");
            var demo = await app.Services.GetRequiredService<DemoSeed>().SeedAsync(actor);
            var adminKey = await app.Services.GetRequiredService<AdminKeys>().EnsureFirstAsync(actor);
            return (demo.Platforms, adminKey);
        }
        return null;
    }

    private static void PrintDemo(TextWriter console, WebApplication app, IReadOnlyList<DemoPlatform> demo, IssuedAdminKeyView? adminKey)
    {
        var url = app.Urls.FirstOrDefault() ?? "http://127.0.0.1:5080";
        if (demo.Count > 0)
        {
            // The token hint comes first, so the banner ends with the secrets and nothing after it repeats one.
            console.WriteLine("Demo credentials (embedded default), shown once:");
            console.WriteLine("Get a partner access token:");
            console.WriteLine($"  curl -s -X POST {url}/api/v1/oauth/token -d grant_type=client_credentials -d client_id={demo[0].ClientId} -d client_secret=<its client_secret below>");
            console.WriteLine(JsonSerializer.Serialize(new
            {
                platforms = demo.Select(d => new
                {
                    name = d.Name, platform_parent_account_id = d.PlatformParentAccountId, client_id = d.ClientId, client_secret = d.ClientSecret,
                }),
            }));
        }
        else
        {
            console.WriteLine("Demo platforms exist; their secrets were shown once, when created. Issue new ones with " +
                "`partnerships credentials issue --platform <platform_parent_account_id>` or `partnerships credentials rotate --credential <id>`.");
        }
        if (adminKey is not null)
        {
            console.WriteLine($"Operator admin key: {adminKey.AdminKey}");
        }
        else
        {
            console.WriteLine("Operator admin keys exist; create another with `partnerships admin-keys create` (or rotate one with `admin-keys rotate --id <id>`).");
        }
        console.Flush();
    }
}
