using MailKit.Security;
using Partnerships.Application.Features.DataDeletion;
using Partnerships.Application.Features.PayoutSetup;
using Partnerships.Delivery;

namespace Partnerships.Api.Hosting;

/// <summary>The side-effect machinery: outbox dispatcher, webhook and email channels, and the payment provider.</summary>
public static class DeliveryServices
{
    public static void AddDelivery(this IServiceCollection services, IConfiguration config, HostSettings settings)
    {
        services.AddSingleton(new WebhookOptions
        {
            AllowPrivateTargets = config.GetValue("Webhooks:AllowPrivateTargets", false),
            Timeout = TimeSpan.FromSeconds(config.GetValue("Webhooks:TimeoutSeconds", 15)),
            ResolveTimeout = TimeSpan.FromSeconds(config.GetValue("Webhooks:ResolveTimeoutSeconds", 5)),
            DisableAfterFailures = config.GetValue("Webhooks:DisableAfterFailures", 5),
        });
        services.AddSingleton(new EmailOptions
        {
            SmtpHost = config["Email:Smtp:Host"],
            SmtpPort = config.GetValue("Email:Smtp:Port", 587),
            Security = Enum.TryParse<SecureSocketOptions>(config["Email:Smtp:Security"] ?? nameof(SecureSocketOptions.StartTlsWhenAvailable), ignoreCase: true, out var security)
                ? security
                : throw new InvalidOperationException("Email:Smtp:Security must be None, StartTls, StartTlsWhenAvailable or SslOnConnect."),
            Username = config["Email:Smtp:Username"],
            Password = config["Email:Smtp:Password"],
            From = config["Email:From"] ?? "Partnerships <no-reply@partnerships.invalid>",
            PickupDirectory = config["Email:PickupDirectory"] ?? Path.Combine(settings.DataDirectory, "mail-pickup"),
        });
        services.AddSingleton(new StripeOptions
        {
            SecretKey = config["Stripe:SecretKey"], BaseUrl = config["Stripe:BaseUrl"],
            Timeout = TimeSpan.FromSeconds(config.GetValue("Stripe:TimeoutSeconds", 10.0)),
        });
        services.AddSingleton(new PayoutOptions
        {
            RecovererEnabled = config.GetValue("Payouts:Recoverer", true),
            RecoveryPoll = TimeSpan.FromMilliseconds(config.GetValue("Payouts:RecoveryPollMilliseconds", 5000)),
            RetryBaseDelay = TimeSpan.FromMilliseconds(config.GetValue("Payouts:RetryBaseDelayMilliseconds", 5000)),
            RetryMaxDelay = TimeSpan.FromSeconds(config.GetValue("Payouts:RetryMaxDelaySeconds", 600)),
        });
        services.AddSingleton(new DispatcherOptions
        {
            Enabled = config.GetValue("Outbox:Dispatcher", true),
            PollInterval = TimeSpan.FromMilliseconds(config.GetValue("Outbox:PollMilliseconds", 250)),
            MaxAttempts = config.GetValue("Outbox:MaxAttempts", 8),
            Lease = TimeSpan.FromSeconds(config.GetValue("Outbox:LeaseSeconds", 60)),
            BaseDelay = TimeSpan.FromMilliseconds(config.GetValue("Outbox:BaseDelayMilliseconds", 2000)),
            MaxDelay = TimeSpan.FromSeconds(config.GetValue("Outbox:MaxDelaySeconds", 1800)),
        });
        services.AddSingleton<IWebhookResolver, SystemWebhookResolver>();
        services.AddSingleton<WebhookConnector>();
        services.AddHttpClient(WebhookChannel.HttpClientName).ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
        {
            AllowAutoRedirect = false, // a redirect could lead a signed delivery to a private address
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            // Resolve, check and connect in one step (no DNS rebinding); a proxy would resolve the target itself, unchecked.
            ConnectCallback = sp.GetRequiredService<WebhookConnector>().ConnectAsync,
            UseProxy = false,
        });
        services.AddSingleton<IDeliveryChannel, WebhookChannel>();
        services.AddSingleton<IDeliveryChannel, EmailChannel>();
        services.AddSingleton<IPayoutProvider, StripePayoutProvider>();
        services.AddSingleton<PayoutSetupExecutor>();
        services.AddHostedService<PayoutRecoverer>();
        services.AddSingleton(new DataDeletionOptions
        {
            WorkerEnabled = config.GetValue("DataDeletion:Worker", true),
            Poll = TimeSpan.FromMilliseconds(config.GetValue("DataDeletion:PollMilliseconds", 1000)),
            MaxAttempts = config.GetValue("DataDeletion:MaxAttempts", 10),
        });
        services.AddSingleton<IPersonalDataFiles, PickupFolderEraser>();
        services.AddSingleton<AccountDataEraser>();
        services.AddSingleton<DataDeletionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<DataDeletionWorker>());
        services.AddSingleton<WebhookAdmin>();
        services.AddSingleton<DeliveryAdmin>();
        services.AddSingleton(new FeedPositionOptions { Poll = TimeSpan.FromMilliseconds(config.GetValue("Events:PositionPollMilliseconds", 100)) });
        services.AddHostedService<FeedPositioner>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
    }
}
