using Partnerships.Application.RateLimits;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// Operators raise or lower a platform's limits, one policy at a time (audited like every operator action). Every
/// process reads the change within <see cref="RateLimitOptions.OverrideRefresh"/>.
/// </summary>
public sealed class RateLimitSettings(Database db, TimeProvider clock, RateLimitOptions options, RateLimitOverrides? overrides = null)
{
    /// <summary>The largest limit an operator can set: far above what one platform could send.</summary>
    public const int MaxPerMinute = 100_000_000;

    public async Task<PlatformRateLimitsView> ListAsync(string platformId)
    {
        await using var s = await DbSession.ReadAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var rows = (await RateLimitStore.ListAsync(s, platformId)).ToDictionary(r => r.Policy, StringComparer.Ordinal);
        return new PlatformRateLimitsView(platformId, (int)RateLimitPolicies.Window.TotalSeconds,
            RateLimitPolicies.All.Select(p => View(p, rows.GetValueOrDefault(p.Name))).ToList());
    }

    public Task<RateLimitView> SetAsync(OperatorActor actor, string platformId, string policyName, long? perMinute) =>
        OperatorAudit.RunAsync(db, clock, actor, "rate_limit.set", $"platform:{platformId}/rate-limits/{policyName}", async audit =>
    {
        audit.PlatformId = platformId;
        var policy = RequirePolicy(policyName);
        if (perMinute is not { } n || n < 1 || n > MaxPerMinute)
        {
            throw ApiError.Field("per_minute", $"must be an integer from 1 to {MaxPerMinute}");
        }
        await using var s = await DbSession.WriteAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var before = await RateLimitStore.GetAsync(s, platformId, policy.Name);
        await RateLimitStore.UpsertAsync(s, platformId, policy.Name, (int)n, clock.GetUtcNow());
        var after = await RateLimitStore.GetAsync(s, platformId, policy.Name);
        (audit.Before, audit.After) = (new { per_minute = before?.PerMinute ?? options.DefaultFor(policy) }, new { per_minute = n });
        await audit.CommitAsync(s);
        overrides?.Invalidate();
        return View(policy, after);
    });

    /// <summary>Drops the platform's override: the policy goes back to the deployment's default.</summary>
    public Task<RateLimitView> ResetAsync(OperatorActor actor, string platformId, string policyName) =>
        OperatorAudit.RunAsync(db, clock, actor, "rate_limit.reset", $"platform:{platformId}/rate-limits/{policyName}", async audit =>
    {
        audit.PlatformId = platformId;
        var policy = RequirePolicy(policyName);
        await using var s = await DbSession.WriteAsync(db);
        await OperatorChecks.RequirePlatformAsync(s, platformId);
        var before = await RateLimitStore.GetAsync(s, platformId, policy.Name);
        await RateLimitStore.DeleteAsync(s, platformId, policy.Name);
        (audit.Before, audit.After) = (new { per_minute = before?.PerMinute ?? options.DefaultFor(policy) }, new { per_minute = options.DefaultFor(policy) });
        await audit.CommitAsync(s);
        overrides?.Invalidate();
        return View(policy, null);
    });

    private RateLimitView View(RateLimitPolicy policy, RateLimitOverrideRow? row)
    {
        var effective = row?.PerMinute ?? options.DefaultFor(policy);
        return new RateLimitView(policy.Name, policy.Routes, effective, policy.PublishedPerMinute, options.DefaultFor(policy), row?.PerMinute,
            effective <= options.ExactUpTo, row?.UpdatedAt);
    }

    private static RateLimitPolicy RequirePolicy(string name) => RateLimitPolicies.Named(name) ?? throw new ApiError(404, ErrorCodes.NotFound,
        $"No rate limit policy is named '{Bounded(name)}'", [new FieldIssue("policy", "must be one of " + string.Join(", ", RateLimitPolicies.All.Select(p => p.Name)))]);

    private static string Bounded(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
