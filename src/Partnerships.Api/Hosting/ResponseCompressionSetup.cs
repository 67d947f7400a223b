using System.IO.Compression;
using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Partnerships.Api.Hosting;

/// <summary>How JSON answers are compressed for clients that accept it (<c>Http:Compression:*</c>).</summary>
public sealed record CompressionSettings
{
    public bool Enabled { get; init; } = true;
    /// <summary>Fastest: at 2 cores and 32 connections the CPU a stronger level spends costs more throughput than its smaller bodies save.</summary>
    public CompressionLevel Level { get; init; } = CompressionLevel.Fastest;
    /// <summary>Smaller answers go as they are: a few hundred bytes gain little and cost a compressor per request.</summary>
    public long MinimumBytes { get; init; } = 1024;
}

/// <summary>
/// Marks an endpoint whose answers carry a secret (a token, a client secret, an admin key, a webhook secret, signing
/// keys): they are never compressed, whatever the client accepts, because compressing a secret beside text an attacker
/// can steer leaks it through the body's length (BREACH).
/// </summary>
public sealed class SecretBearingResponse
{
    public static readonly SecretBearingResponse Instance = new();
    private SecretBearingResponse() { }
}

public static class ResponseCompressionSetup
{
    public static TBuilder CarriesSecrets<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(SecretBearingResponse.Instance);

    public static IServiceCollection AddJsonResponseCompression(this IServiceCollection services, CompressionSettings settings)
    {
        if (!settings.Enabled) return services;
        services.AddResponseCompression(o =>
        {
            o.EnableForHttps = true;
            // Listed first, so a client accepting both equally gets brotli.
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ["application/json"];
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = settings.Level);
        services.Configure<GzipCompressionProviderOptions>(o => o.Level = settings.Level);
        services.AddSingleton(settings);
        services.AddSingleton<IResponseCompressionProvider, SecretAwareCompressionProvider>();
        return services;
    }

    public static void UseJsonResponseCompression(this WebApplication app)
    {
        if (app.Services.GetRequiredService<HostSettings>().Compression.Enabled) app.UseResponseCompression();
    }

    /// <summary>The framework's negotiation, minus secret-bearing endpoints and bodies below the minimum size.</summary>
    private sealed class SecretAwareCompressionProvider(IServiceProvider services, IOptions<ResponseCompressionOptions> options, CompressionSettings settings)
        : ResponseCompressionProvider(services, options)
    {
        public override bool ShouldCompressResponse(HttpContext context)
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<SecretBearingResponse>() is not null) return false;
            if (!base.ShouldCompressResponse(context)) return false;
            if (context.Response.ContentLength is { } length && length < settings.MinimumBytes)
            {
                // Left as it is for its size only: a larger answer from the same route would be compressed, so caches must still vary.
                context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
                return false;
            }
            return true;
        }
    }
}
