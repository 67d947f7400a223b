namespace Partnerships.Application.RateLimits;

/// <summary>
/// One budget of a platform: its name (as RateLimit-Policy names it and operators address it), the routes that draw on
/// it, and the published requests per window.
/// </summary>
public sealed record RateLimitPolicy(string Name, int PublishedPerMinute, IReadOnlyList<string> Routes);

/// <summary>
/// The partner surface's budgets, per platform, as the partner documentation publishes them; every partner route that
/// has no published limit of its own draws on <see cref="Reads"/>.
/// </summary>
public static class RateLimitPolicies
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    public static readonly RateLimitPolicy Register = new("register", 10, ["POST /v1/accounts/register/partnership"]);
    public static readonly RateLimitPolicy PayoutSetup = new("payout-setup", 10, ["POST /v1/partnership/accounts/{account_id}/payout-setup"]);
    public static readonly RateLimitPolicy NetworkPrivacyRequests = new("network-privacy-requests", 10, ["POST /v1/partnership/network-privacy-requests"]);
    public static readonly RateLimitPolicy DataDeletionRequests = new("data-deletion-requests", 10, ["POST /v1/partnership/accounts/{account_id}/data-deletion-requests"]);
    public static readonly RateLimitPolicy AddPages = new("pages", 30, ["POST /v1/partnership/accounts/{account_id}/pages"]);
    public static readonly RateLimitPolicy SwitchPageLayout = new("page-layout", 30, ["PUT /v1/partnership/accounts/{account_id}/pages/{page_id}"]);
    public static readonly RateLimitPolicy PatchLayout = new("layouts", 60, ["PATCH /v1/partnership/accounts/{account_id}/layouts/{layout_id}"]);
    public static readonly RateLimitPolicy PutControls = new("marketplacecontrolslists", 60, ["PUT /v1/partnership/accounts/{account_id}/marketplacecontrolslists"]);
    public static readonly RateLimitPolicy PutStatus = new("status", 60, ["PUT /v1/partnership/accounts/{account_id}/status"]);
    public static readonly RateLimitPolicy GetOperation = new("operations", 600, ["GET /v1/partnership/operations/{operation_id}"]);

    /// <summary>
    /// Every other partner route (the reads): 6,000 a minute per platform, 100 a second on average — Stripe's read
    /// allowance — far above what an integration needs, low enough that no platform can flood the service.
    /// </summary>
    public static readonly RateLimitPolicy Reads = new("reads", 6000, ["every other partner route (GET and HEAD)"]);

    public static IReadOnlyList<RateLimitPolicy> All { get; } =
        [Register, PayoutSetup, NetworkPrivacyRequests, DataDeletionRequests, AddPages, SwitchPageLayout, PatchLayout, PutControls, PutStatus, GetOperation, Reads];

    /// <summary>The budget a partner route draws on, by its operationId.</summary>
    private static readonly IReadOnlyDictionary<string, RateLimitPolicy> ByOperation = new Dictionary<string, RateLimitPolicy>(StringComparer.Ordinal)
    {
        ["RegisterAccount"] = Register,
        ["CreatePayoutSetup"] = PayoutSetup,
        ["SubmitNetworkPrivacyRequest"] = NetworkPrivacyRequests,
        ["RequestDataDeletion"] = DataDeletionRequests,
        ["AddPages"] = AddPages,
        ["SwitchPageLayout"] = SwitchPageLayout,
        ["PatchLayout"] = PatchLayout,
        ["PutMarketplaceControls"] = PutControls,
        ["PutStatus"] = PutStatus,
        ["GetOperation"] = GetOperation,
    };

    public static RateLimitPolicy ForOperation(string? operationId) =>
        operationId is not null && ByOperation.TryGetValue(operationId, out var policy) ? policy : Reads;

    public static RateLimitPolicy? Named(string name) => All.FirstOrDefault(p => p.Name == name);
}
