using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.Extensions.FileProviders;
using Partnerships.Api.WebConsole;
using Partnerships.Storage.Secrets;

namespace Partnerships.Api.Hosting;

/// <summary>
/// The web console at /console: server-rendered Razor Pages (folder <c>Console/</c>; their C# lives in the
/// <c>WebConsole</c> namespace, since a <c>Partnerships.Api.Console</c> namespace would hide <see cref="System.Console"/>
/// from the host's code), two cookie sessions, anti-forgery on every form, and the Data Protection key ring in the store.
/// </summary>
public static class ConsoleSetup
{
    private const string StaticResources = "Partnerships.Api.ConsoleStatic";

    public static IServiceCollection AddConsole(this IServiceCollection services, IConfiguration config)
    {
        var options = ConsoleOptions.From(config);
        services.AddSingleton(options);
        if (!options.Enabled) return services;

        services.AddSingleton<Partnerships.Application.Operators.MerchantDirectory>();
        services.AddSingleton<Partnerships.Application.Operators.DeliveryHistory>();
        services.AddSingleton<Partnerships.Application.Operators.MappingImportPreview>();
        services.AddSingleton<Loopback>();
        services.AddSingleton<PartnerApiClients>();
        services.AddSingleton<PartnerSignIn>();
        services.AddSingleton<StoreXmlRepository>();
        // One application name for every process, so all of them read each other's cookies with the shared key ring.
        services.AddDataProtection().SetApplicationName("partnerships");
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, sp) =>
        {
            o.XmlRepository = sp.GetRequiredService<StoreXmlRepository>();
            o.XmlEncryptor = new SealedXmlEncryptor(sp.GetRequiredService<SecretBox>());
        });
        services.AddAuthentication().AddConsoleCookies(options);
        services.AddAuthorization(o =>
        {
            o.AddPolicy(ConsoleAuth.OperatorScheme, p => p.AddAuthenticationSchemes(ConsoleAuth.OperatorScheme).RequireAuthenticatedUser());
            o.AddPolicy(ConsoleAuth.PartnerScheme, p => p.AddAuthenticationSchemes(ConsoleAuth.PartnerScheme).RequireAuthenticatedUser());
        });
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = ConsoleAuth.AntiforgeryCookie;
            o.Cookie.Path = ConsoleAuth.CookiePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__RequestVerificationToken";
        });
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(o =>
        {
            o.Cookie.Name = "partnerships_console_notice";
            o.Cookie.Path = ConsoleAuth.CookiePath;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Console";
                o.Conventions.AuthorizeFolder("/Operator", ConsoleAuth.OperatorScheme);
                o.Conventions.AllowAnonymousToPage("/Operator/SignIn");
                o.Conventions.AuthorizeFolder("/Partner", ConsoleAuth.PartnerScheme);
                o.Conventions.AllowAnonymousToPage("/Partner/SignIn");
            })
            .ConfigureApplicationPartManager(parts =>
            {
                // The pages are compiled into this assembly; a host whose entry assembly is another (tests) still finds them.
                var assembly = typeof(ConsoleSetup).Assembly;
                if (parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name)) return;
                foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly)) parts.ApplicationParts.Add(part);
            });
        return services;
    }

    /// <summary>
    /// Called right inside the API's envelope errors, so that under /console every later middleware's fault and every
    /// empty error answer becomes an HTML page (<see cref="ConsoleErrorPages"/>) while the API keeps its envelope.
    /// </summary>
    public static void MapConsole(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ConsoleOptions>().Enabled) return;
        app.UseWhen(c => c.Request.Path.StartsWithSegments(ConsoleAuth.CookiePath), console =>
        {
            console.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
                    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'";
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                return next(context);
            });
            console.UseMiddleware<ConsoleErrorPages>();
            console.UseStaticFiles(new StaticFileOptions
            {
                RequestPath = "/console/static",
                FileProvider = new EmbeddedFileProvider(typeof(ConsoleSetup).Assembly, StaticResources),
                OnPrepareResponse = f => f.Context.Response.Headers.CacheControl = "public, max-age=300",
            });
        });
        // Forms are the console's request bodies; the API's guard refuses a body on a route that declares none.
        app.MapRazorPages()
            .WithMetadata(new Features.WriteEndpoint.RequestBodyMetadata(typeof(IFormCollection)))
            .ExcludeFromDescription();
    }
}
