using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Partnerships.Core.Errors;
using Partnerships.Delivery;
using Partnerships.Storage;

namespace Partnerships.Api.Hosting;

/// <summary>
/// /healthz: the process is alive and serving (no check runs). /readyz: send it traffic — not stopping, the store
/// answers and holds every migration, the outbox dispatcher runs. Each check is bounded; a failing one makes 503 in the
/// envelope, naming what is not ready.
/// </summary>
public static class ServiceHealth
{
    public const string LivePath = "/healthz";
    public const string ReadyPath = "/readyz";
    private const string ReadyTag = "ready";

    public static void AddServiceHealthChecks(this IServiceCollection services, TelemetryOptions options)
    {
        services.AddHealthChecks()
            .AddCheck<NotStoppingCheck>("stopping", tags: [ReadyTag], timeout: options.HealthCheckTimeout)
            .AddCheck<StoreReadyCheck>("store", tags: [ReadyTag], timeout: options.HealthCheckTimeout)
            .AddCheck<DispatcherRunningCheck>("outbox_dispatcher", tags: [ReadyTag], timeout: options.HealthCheckTimeout);
    }

    public static void MapServiceHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = (http, _) => http.Response.WriteAsync("ok") })
            .AllowAnonymous().ExcludeFromDescription().WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions
            {
                Predicate = check => check.Tags.Contains(ReadyTag),
                ResponseWriter = WriteReadinessAsync,
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status200OK,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            })
            .AllowAnonymous().ExcludeFromDescription().DisableRequestTimeout().WithMetadata(new HttpMethodMetadata([HttpMethods.Get]));
    }

    private static Task WriteReadinessAsync(HttpContext http, HealthReport report)
    {
        if (report.Status != HealthStatus.Unhealthy) return http.Response.WriteAsync("ready");
        var why = string.Join("; ", report.Entries.Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? "not ready"}"));
        if (report.Entries.Any(e => e.Key == "store" && e.Value.Status == HealthStatus.Unhealthy))
        {
            http.Response.Headers.RetryAfter = AvailabilityServices.StoreRetryAfterSeconds;
        }
        return EnvelopeErrors.WriteAsync(http, ApiError.Unavailable($"Not ready: {why}"));
    }
}

/// <summary>Unready from the moment the host begins to stop (<see cref="Readiness"/>), so a load balancer drains first.</summary>
public sealed class NotStoppingCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(readiness.Ready ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("the service is stopping"));
}

/// <summary>The store answers a query within the check's bound and has no pending migration.</summary>
public sealed class StoreReadyCheck(Database db, HostSettings settings, ILogger<StoreReadyCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            // WaitAsync: bounded even where a driver call does not watch the token.
            var pending = await new Migrator(db, new Partnerships.Storage.DataMigrations.MigrationContext { SecretKey = settings.SecretKey })
                .PendingAsync(ct).WaitAsync(ct);
            return pending.Count == 0 ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{pending.Count} pending migration(s); run `partnerships migrate`");
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("the store did not answer in time");
        }
        catch (Exception e)
        {
            // The reason goes to the log only: /readyz is anonymous, and a connection error can name hosts and users.
            logger.LogWarning("Readiness: the store check failed ({Reason})", e.Message);
            return HealthCheckResult.Unhealthy(StoreFailures.IsUnavailable(e) ? "the store is unreachable" : "the store failed the check");
        }
    }
}

/// <summary>The outbox dispatcher's loop is running (or switched off by Outbox:Dispatcher=false, when another process delivers).</summary>
public sealed class DispatcherRunningCheck(OutboxDispatcher dispatcher, DispatcherOptions options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) => Task.FromResult(
        !options.Enabled ? HealthCheckResult.Healthy("disabled by configuration")
        : dispatcher.ExecuteTask is { IsCompleted: false } ? HealthCheckResult.Healthy()
        : HealthCheckResult.Unhealthy("the outbox dispatcher is not running"));
}
