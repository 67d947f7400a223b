using System.Globalization;
using Partnerships.Delivery;

namespace Partnerships.Api.Hosting;

/// <summary>The retention purge: its settings (<c>Retention:*</c>, read once here) and its background worker.</summary>
public static class RetentionServices
{
    public static void AddRetention(this IServiceCollection services, IConfiguration config, HostSettings settings)
    {
        var options = From(config.GetSection("Retention"));
        // A replayed write answers with its operation's id (X-Operation-Id): the operation must outlive the key.
        if (options.Operations is { } operations && operations < settings.IdempotencyTtl)
        {
            throw new StartupException(StartupFailure.Configuration,
                $"Retention:OperationsDays ({operations.TotalDays:0.###} days) is shorter than Idempotency:TtlSeconds ({settings.IdempotencyTtl.TotalDays:0.###} days): " +
                "a replayed write would name an operation already purged. Raise Retention:OperationsDays or lower Idempotency:TtlSeconds.");
        }
        services.AddSingleton(options);
        services.AddSingleton<RetentionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionWorker>());
    }

    public static RetentionOptions From(IConfigurationSection section) => new()
    {
        WorkerEnabled = Flag(section, "Worker", true),
        Interval = TimeSpan.FromSeconds(Number(section, "IntervalSeconds", 600, min: 1, max: 86_400, "a number of seconds from 1 to 86400")),
        BatchSize = (int)Number(section, "BatchSize", 500, min: 1, max: 10_000, "a whole number of rows from 1 to 10000", whole: true),
        BatchPause = TimeSpan.FromMilliseconds(Number(section, "BatchPauseMilliseconds", 50, min: 0, max: 60_000, "a number of milliseconds from 0 to 60000")),
        Operations = Window(section, "OperationsDays", 30),
        DeliveredMessages = Window(section, "DeliveredMessagesDays", 30),
        Events = Window(section, "EventsDays", 90),
        AuditEntries = Window(section, "AuditDays", 365),
    };

    /// <summary>A window in days; 0 keeps that kind without limit.</summary>
    private static TimeSpan? Window(IConfigurationSection section, string key, double defaultDays)
    {
        var days = Number(section, key, defaultDays, min: 0, max: 36_500, "a number of days from 0 (kept without limit) to 36500");
        return days == 0 ? null : TimeSpan.FromDays(days);
    }

    private static double Number(IConfigurationSection section, string key, double fallback, double min, double max, string expected, bool whole = false)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max && (!whole || value == Math.Floor(value))
            ? value
            : throw new StartupException(StartupFailure.Configuration, $"Retention:{key} must be {expected}; it is '{text}'.");
    }

    private static bool Flag(IConfigurationSection section, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return bool.TryParse(text, out var value)
            ? value
            : throw new StartupException(StartupFailure.Configuration, $"Retention:{key} must be true or false; it is '{text}'.");
    }
}
