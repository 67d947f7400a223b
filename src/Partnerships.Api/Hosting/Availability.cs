using Microsoft.AspNetCore.Http.Timeouts;
using Partnerships.Core.Errors;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>How long a request may take and how the service stops (keys in docs/operations.md).</summary>
public sealed record AvailabilityOptions
{
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Between SIGTERM and closing the listener: /readyz already answers 503 while requests are still served, so a load balancer can drain.</summary>
    public TimeSpan ShutdownDrain { get; init; } = TimeSpan.Zero;
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public static AvailabilityOptions From(IConfiguration config, HostSettings settings)
    {
        var request = TimeSpan.FromSeconds(config.GetValue("Http:RequestTimeoutSeconds", 10));
        var drain = TimeSpan.FromSeconds(config.GetValue("Http:ShutdownDrainSeconds", 0));
        // Long enough for the drain, then for the slowest request or write in flight to finish and commit.
        var longest = request > settings.Store.CommandTimeout ? request : settings.Store.CommandTimeout ?? request;
        var shutdown = config.GetValue<double?>("Http:ShutdownTimeoutSeconds") is { } seconds
            ? TimeSpan.FromSeconds(seconds) : drain + longest + TimeSpan.FromSeconds(10);
        return new AvailabilityOptions { RequestTimeout = request, ShutdownDrain = drain, ShutdownTimeout = shutdown };
    }
}

/// <summary>Ready to take traffic: true from start until the host begins to stop.</summary>
public sealed class Readiness
{
    private volatile bool _stopping;
    public bool Ready => !_stopping;
    public void MarkStopping() => _stopping = true;
}

/// <summary>
/// Runs first when the host stops: marks the service not ready, then waits out the drain before the listener closes
/// (Kestrel then refuses new connections and lets requests in flight finish within the shutdown time-out).
/// </summary>
public sealed class ShutdownDrain(Readiness readiness, AvailabilityOptions options, ILogger<ShutdownDrain> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        readiness.MarkStopping();
        if (options.ShutdownDrain <= TimeSpan.Zero) return;
        logger.LogInformation("Stopping: not ready; draining for {Seconds} s before closing the listener", options.ShutdownDrain.TotalSeconds);
        try { await Task.Delay(options.ShutdownDrain, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class AvailabilityServices
{
    /// <summary>Retry-After on a 503 for a store that went away: short, since a restarting database is back in seconds.</summary>
    public const string StoreRetryAfterSeconds = "2";

    public static readonly ApiError StoreUnavailable =
        ApiError.Unavailable("The store is unavailable right now; nothing was changed by this request. Retry (with the same Idempotency-Key for a write).");

    public static void AddAvailability(this IServiceCollection services, IConfiguration config, HostSettings settings)
    {
        var options = AvailabilityOptions.From(config, settings);
        services.AddSingleton(options);
        services.AddSingleton<Readiness>();
        services.AddHostedService<ShutdownDrain>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = options.RequestTimeout,
            TimeoutStatusCode = 503,
            WriteTimeoutResponse = context => EnvelopeErrors.WriteAsync(context,
                ApiError.Unavailable($"The request took longer than {options.RequestTimeout.TotalSeconds:0.#} s; retry")),
        });
    }

    /// <summary>
    /// The request time-out, and while stopping, <c>Connection: close</c> on every response: clients then open a new
    /// connection for their next request, which the closed listener refuses cleanly, instead of reusing a kept-alive one
    /// that the server may close just as a request is sent on it.
    /// </summary>
    public static void UseAvailability(this WebApplication app)
    {
        app.UseRequestTimeouts();
        app.Use((context, next) =>
        {
            var readiness = context.RequestServices.GetRequiredService<Readiness>();
            context.Response.OnStarting(() =>
            {
                if (!readiness.Ready) context.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
