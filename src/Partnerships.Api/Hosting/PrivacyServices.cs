using Partnerships.Application.Features.PrivacyRequests;
using Partnerships.Application.Operators;
using Partnerships.Delivery;

namespace Partnerships.Api.Hosting;

/// <summary>Network privacy requests: the keyed hash, the submission use case, the pipeline's delivery channel and the retention purge.</summary>
public static class PrivacyServices
{
    public static void AddPrivacyRequests(this IServiceCollection services, IConfiguration config, HostSettings settings)
    {
        var retentionDays = config.GetValue("Privacy:RetentionDays", 30.0);
        if (retentionDays <= 0) throw new InvalidOperationException("Privacy:RetentionDays must be a positive number of days.");
        services.AddSingleton(new PrivacyRequestOptions { Retention = TimeSpan.FromDays(retentionDays) });
        var url = config["Privacy:PipelineUrl"];
        Uri? pipeline = null;
        if (!string.IsNullOrWhiteSpace(url) && (!Uri.TryCreate(url, UriKind.Absolute, out pipeline) || pipeline.Scheme is not ("https" or "http")))
        {
            throw new InvalidOperationException("Privacy:PipelineUrl must be an absolute http(s) URL.");
        }
        var secret = config["Privacy:PipelineSecret"];
        if (!string.IsNullOrWhiteSpace(secret) && !secret.StartsWith(WebhookSignature.SecretPrefix, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Privacy:PipelineSecret must be a whsec_ secret (whsec_ then base64).");
        }
        services.AddSingleton(new PrivacyPipelineOptions
        {
            Url = pipeline,
            Secret = string.IsNullOrWhiteSpace(secret) ? null : secret,
            Timeout = TimeSpan.FromSeconds(config.GetValue("Privacy:PipelineTimeoutSeconds", 15)),
            PurgeInterval = TimeSpan.FromSeconds(config.GetValue("Privacy:PurgeIntervalSeconds", 600.0)),
        });
        // Derived from the secrets-at-rest key: the hash is as secret as the key, and every process of one store agrees on it.
        services.AddSingleton(new PrivacyIdentifierHash(settings.SecretKey));
        services.AddSingleton<SubmitNetworkPrivacyRequest>();
        services.AddSingleton<PrivacyRequestAdmin>();
        services.AddHttpClient(PrivacyPipelineChannel.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // the identifier goes to the configured pipeline and nowhere else
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        });
        services.AddSingleton<IDeliveryChannel, PrivacyPipelineChannel>();
        services.AddHostedService<PrivacyRetention>();
    }
}
