using Partnerships.Client.Http;

namespace Partnerships.Client;

/// <summary>
/// The partner surface of the Partnerships API, typed. Safe to share: one instance per credential, used concurrently.
/// Every write is sent with an <c>Idempotency-Key</c> (the caller's, or a new UUID per call) and retried with that same
/// key on network errors, time-outs, 5xx, 429 and a 409 for work still in flight; other 4xx throw
/// <see cref="PartnershipsApiException"/> at once.
/// </summary>
public sealed partial class PartnershipsClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly PartnershipsClientOptions _options;
    private readonly ApiTransport _transport;
    private readonly TimeProvider _clock;

    /// <summary>A client with its own connection pool.</summary>
    public PartnershipsClient(PartnershipsClientOptions options)
        : this(new HttpClient { Timeout = Timeout.InfiniteTimeSpan }, options, ownsHttp: true)
    {
    }

    /// <summary>
    /// A client over the caller's <see cref="HttpClient"/> (e.g. one from <c>IHttpClientFactory</c>, or one with its own
    /// handlers). Its <c>BaseAddress</c> is not used; per-attempt time-outs come from the options.
    /// </summary>
    public PartnershipsClient(HttpClient httpClient, PartnershipsClientOptions options)
        : this(httpClient, options, ownsHttp: false)
    {
    }

    private PartnershipsClient(HttpClient http, PartnershipsClientOptions options, bool ownsHttp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1");
        if (options.MaxControlsUpdateAttempts < 1) throw new ArgumentOutOfRangeException(nameof(options), "MaxControlsUpdateAttempts must be at least 1");
        // Relative paths resolve under the base address only when it ends with a slash.
        var baseAddress = options.BaseAddress.AbsoluteUri.EndsWith('/') ? options.BaseAddress : new Uri(options.BaseAddress.AbsoluteUri + "/");
        _options = options with { BaseAddress = baseAddress };
        _http = http;
        _ownsHttp = ownsHttp;
        _clock = TimeProvider.System;
        _transport = new ApiTransport(http, _options, new TokenCache(http, _options, _clock), _clock);
    }

    /// <summary><c>POST /v1/accounts/register/partnership</c> (RegisterAccount): 201 for a new account, 200 for the one already registered under that external id.</summary>
    /// <exception cref="PartnershipsApiException">400 bad input or unmapped category; 403 another platform; 409 <see cref="ErrorReasons.ExternalAccountIdTaken"/>.</exception>
    public Task<PartnershipsResponse<Registration>> RegisterAccountAsync(RegisterAccountRequest request, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<Registration>(HttpMethod.Post, "v1/accounts/register/partnership", request, idempotencyKey, cancellationToken);

    /// <summary>
    /// <c>GET /v1/partnership/accounts</c> (ListAccounts): one page of the platform's accounts, newest first. For every
    /// account, <see cref="ListAccountsAutoPagingAsync"/> follows the pages.
    /// </summary>
    /// <exception cref="PartnershipsApiException">400 naming the parameter: a limit outside 1–100, or a <c>StartingAfter</c> that is not one of the listed accounts.</exception>
    public Task<PartnershipsResponse<AccountList>> ListAccountsAsync(AccountListOptions? options = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        if (options?.Limit is { } limit) query.Add("limit=" + limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (options?.StartingAfter is { } after) query.Add("starting_after=" + Uri.EscapeDataString(after));
        if (options?.ExternalAccountId is { } external) query.Add("external_account_id=" + Uri.EscapeDataString(external));
        if (options?.Status is { } status) query.Add("status=" + (status == AccountStatus.Active ? "active" : "paused"));
        return ReadAsync<AccountList>("v1/partnership/accounts" + (query.Count == 0 ? "" : "?" + string.Join("&", query)), cancellationToken);
    }

    /// <summary>
    /// Every account of <see cref="ListAccountsAsync"/>, newest first, fetching the next page (from the last account
    /// seen) only when the caller has used up the current one, as Stripe's <c>ListAutoPagingAsync</c> does.
    /// <c>options.Limit</c> sets the page size; <c>options.StartingAfter</c> where to begin.
    /// </summary>
    public async IAsyncEnumerable<Account> ListAccountsAutoPagingAsync(AccountListOptions? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = options ?? new AccountListOptions();
        while (true)
        {
            var list = (await ListAccountsAsync(page, cancellationToken).ConfigureAwait(false)).Data;
            foreach (var account in list.Items) yield return account;
            if (!list.HasMore || list.Items.Count == 0) yield break;
            page = page with { StartingAfter = list.Items[^1].AccountId };
        }
    }

    /// <summary><c>GET /v1/partnership/accounts/{account_id}</c> (GetAccount): the account with its pages.</summary>
    public Task<PartnershipsResponse<Account>> GetAccountAsync(string accountId, CancellationToken cancellationToken = default) =>
        ReadAsync<Account>(AccountPath(accountId), cancellationToken);

    /// <summary><c>GET …/marketplacecontrolslists</c> (GetMarketplaceControls): the controls and their <c>contentHash</c> (also the <c>ETag</c>).</summary>
    public Task<PartnershipsResponse<MarketplaceControls>> GetMarketplaceControlsAsync(string accountId, CancellationToken cancellationToken = default) =>
        ReadAsync<MarketplaceControls>(AccountPath(accountId, "marketplacecontrolslists"), cancellationToken);

    /// <summary>
    /// <c>PUT …/marketplacecontrolslists</c> (PutMarketplaceControls): replaces the whole list. With a
    /// <c>ContentHash</c> it applies only to that version (409 <see cref="ErrorReasons.ContentHashStale"/> otherwise);
    /// see <see cref="UpdateControlsAsync"/> for the loop that handles that.
    /// </summary>
    public Task<PartnershipsResponse<MarketplaceControls>> PutMarketplaceControlsAsync(string accountId, MarketplaceControlsUpdate controls,
        string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        WriteAsync<MarketplaceControls>(HttpMethod.Put, AccountPath(accountId, "marketplacecontrolslists"), controls, idempotencyKey, cancellationToken);

    /// <summary>The controls PUT rehearsed (<c>?dry_run=true</c>): the answer the real PUT would give (the would-be <c>contentHash</c> included), nothing stored.</summary>
    public Task<PartnershipsResponse<MarketplaceControls>> PutMarketplaceControlsDryRunAsync(string accountId, MarketplaceControlsUpdate controls,
        string? idempotencyKey = null, CancellationToken cancellationToken = default) =>
        WriteAsync<MarketplaceControls>(HttpMethod.Put, AccountPath(accountId, "marketplacecontrolslists") + DryRun, controls, idempotencyKey, cancellationToken);

    /// <summary><c>GET …/status</c> (GetStatus): the account status and its page variants.</summary>
    public Task<PartnershipsResponse<AccountState>> GetStatusAsync(string accountId, CancellationToken cancellationToken = default) =>
        ReadAsync<AccountState>(AccountPath(accountId, "status"), cancellationToken);

    /// <summary><c>PUT …/status</c> (PutStatus): pauses or resumes the account and every non-archived page variant.</summary>
    public Task<PartnershipsResponse<AccountState>> SetStatusAsync(string accountId, AccountStatus status, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<AccountState>(HttpMethod.Put, AccountPath(accountId, "status"), new StatusBody(status), idempotencyKey, cancellationToken);

    /// <summary>The status PUT rehearsed (<c>?dry_run=true</c>).</summary>
    public Task<PartnershipsResponse<AccountState>> SetStatusDryRunAsync(string accountId, AccountStatus status, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<AccountState>(HttpMethod.Put, AccountPath(accountId, "status") + DryRun, new StatusBody(status), idempotencyKey, cancellationToken);

    /// <summary><c>POST …/pages</c> (AddPages): 201 with the new pages.</summary>
    /// <exception cref="PartnershipsApiException">409 <see cref="ErrorReasons.SurfaceExists"/> when the account has one of the surfaces.</exception>
    public Task<PartnershipsResponse<PagesAdded>> AddPagesAsync(string accountId, IReadOnlyList<PageRequest> pages, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<PagesAdded>(HttpMethod.Post, AccountPath(accountId, "pages"), new AddPagesBody(pages), idempotencyKey, cancellationToken);

    /// <summary>The pages POST rehearsed (<c>?dry_run=true</c>).</summary>
    public Task<PartnershipsResponse<PagesAdded>> AddPagesDryRunAsync(string accountId, IReadOnlyList<PageRequest> pages, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<PagesAdded>(HttpMethod.Post, AccountPath(accountId, "pages") + DryRun, new AddPagesBody(pages), idempotencyKey, cancellationToken);

    /// <summary><c>GET …/pages/{page_id}</c> (GetPage): the page, its active layout and every layout it keeps.</summary>
    public Task<PartnershipsResponse<PageDetail>> GetPageAsync(string accountId, string pageId, CancellationToken cancellationToken = default) =>
        ReadAsync<PageDetail>(PagePath(accountId, pageId), cancellationToken);

    /// <summary>
    /// <c>PUT …/pages/{page_id}</c> (SwitchPageLayout): draws the page with its layout of <paramref name="layoutType"/>. The
    /// layout it leaves is kept, theme and all, so switching back returns to it; the first switch to a type creates that
    /// type's layout with the default theme. Switching to the active type changes nothing.
    /// </summary>
    public Task<PartnershipsResponse<PageDetail>> SwitchPageLayoutAsync(string accountId, string pageId, LayoutType layoutType, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<PageDetail>(HttpMethod.Put, PagePath(accountId, pageId), new PageLayoutBody(layoutType), idempotencyKey, cancellationToken);

    /// <summary>The page PUT rehearsed (<c>?dry_run=true</c>): the page as the switch would leave it (the would-be layout id included), nothing stored.</summary>
    public Task<PartnershipsResponse<PageDetail>> SwitchPageLayoutDryRunAsync(string accountId, string pageId, LayoutType layoutType, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<PageDetail>(HttpMethod.Put, PagePath(accountId, pageId) + DryRun, new PageLayoutBody(layoutType), idempotencyKey, cancellationToken);

    /// <summary>
    /// <c>POST …/payout-setup</c> (CreatePayoutSetup): 201 with the connected account and onboarding link, 200 with the
    /// current state when there is one. Provider failures (502/503/504) are retried with the same key, which resumes the
    /// same operation; no dry-run exists for this write.
    /// </summary>
    public Task<PartnershipsResponse<PayoutSetup>> CreatePayoutSetupAsync(string accountId, PayoutSetupRequest request, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<PayoutSetup>(HttpMethod.Post, AccountPath(accountId, "payout-setup"), request, idempotencyKey, cancellationToken);

    /// <summary>
    /// <c>POST …/data-deletion-requests</c> (RequestDataDeletion): queues the erasure of the merchant's personal data; 202
    /// with the operation (<c>OperationId</c>) <c>pending</c>. Wait for it with <see cref="WaitForOperationAsync"/>: it
    /// turns <c>completed</c> once the data is erased everywhere.
    /// </summary>
    /// <exception cref="PartnershipsApiException">409 <see cref="ErrorReasons.OperationInProgress"/> when another key's deletion of the account is queued.</exception>
    public Task<PartnershipsResponse<DataDeletion>> RequestDataDeletionAsync(string accountId, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<DataDeletion>(HttpMethod.Post, AccountPath(accountId, "data-deletion-requests"), new DataDeletionBody(), idempotencyKey, cancellationToken);

    /// <summary>The data deletion request rehearsed (<c>?dry_run=true</c>): checked, nothing queued or erased.</summary>
    public Task<PartnershipsResponse<DataDeletion>> RequestDataDeletionDryRunAsync(string accountId, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<DataDeletion>(HttpMethod.Post, AccountPath(accountId, "data-deletion-requests") + DryRun, new DataDeletionBody(), idempotencyKey, cancellationToken);

    /// <summary><c>GET …/layouts/{layout_id}</c> (GetLayout).</summary>
    public Task<PartnershipsResponse<Layout>> GetLayoutAsync(string accountId, string layoutId, CancellationToken cancellationToken = default) =>
        ReadAsync<Layout>(AccountPath(accountId, "layouts/" + Uri.EscapeDataString(layoutId)), cancellationToken);

    /// <summary><c>PATCH …/layouts/{layout_id}</c> (PatchLayout): only the properties set in <paramref name="change"/> are sent.</summary>
    public Task<PartnershipsResponse<Layout>> UpdateLayoutAsync(string accountId, string layoutId, LayoutUpdate change, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<Layout>(HttpMethod.Patch, AccountPath(accountId, "layouts/" + Uri.EscapeDataString(layoutId)), change, idempotencyKey, cancellationToken);

    /// <summary>The layout PATCH rehearsed (<c>?dry_run=true</c>).</summary>
    public Task<PartnershipsResponse<Layout>> UpdateLayoutDryRunAsync(string accountId, string layoutId, LayoutUpdate change, string? idempotencyKey = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync<Layout>(HttpMethod.Patch, AccountPath(accountId, "layouts/" + Uri.EscapeDataString(layoutId)) + DryRun, change, idempotencyKey, cancellationToken);

    /// <summary><c>GET /v1/partnership/operations/{operation_id}</c> (GetOperation): a write's outcome, stored answer and side effects.</summary>
    public Task<PartnershipsResponse<Operation>> GetOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        ReadAsync<Operation>("v1/partnership/operations/" + Uri.EscapeDataString(operationId), cancellationToken);

    /// <summary><c>GET /v1/partnership/vertical-mappings</c> (ListVerticalMappings): the category pairs of the platform's taxonomy the service translates.</summary>
    public Task<PartnershipsResponse<IReadOnlyList<VerticalMapping>>> ListVerticalMappingsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<IReadOnlyList<VerticalMapping>>("v1/partnership/vertical-mappings", cancellationToken);

    /// <summary>
    /// <c>POST /v1/partnership/network-privacy-requests</c> (SubmitNetworkPrivacyRequest): 202 with the request's id. The
    /// answer is not in the envelope and carries no operation; no Idempotency-Key is sent, so a retry after a lost answer
    /// may submit the request twice, which the network's pipeline treats as the same consumer's request again.
    /// </summary>
    /// <param name="request">The type and exactly one identifier.</param>
    /// <param name="parentAccountId">Your platform's id; defaults to <see cref="PartnershipsClientOptions.PlatformParentAccountId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="PartnershipsApiException">400 naming the field at fault (never quoting it); 403 another platform's id.</exception>
    public Task<PartnershipsResponse<NetworkPrivacyRequestReceipt>> SubmitNetworkPrivacyRequestAsync(NetworkPrivacyRequest request,
        string? parentAccountId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var platform = parentAccountId ?? _options.PlatformParentAccountId
            ?? throw new ArgumentException("parentAccountId is required when the options name no PlatformParentAccountId", nameof(parentAccountId));
        return _transport.SendAsync<NetworkPrivacyRequestReceipt>(HttpMethod.Post,
            "v1/partnership/network-privacy-requests?parent_account_id=" + Uri.EscapeDataString(platform), request, null, cancellationToken, enveloped: false);
    }

    /// <summary>Releases the connection pool, when the client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private const string DryRun = "?dry_run=true";

    private static string AccountPath(string accountId, string? rest = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        var path = "v1/partnership/accounts/" + Uri.EscapeDataString(accountId);
        return rest is null ? path : path + "/" + rest;
    }

    private static string PagePath(string accountId, string pageId)
    {
        ArgumentException.ThrowIfNullOrEmpty(pageId);
        return AccountPath(accountId, "pages/" + Uri.EscapeDataString(pageId));
    }

    private Task<PartnershipsResponse<T>> ReadAsync<T>(string path, CancellationToken ct) =>
        _transport.SendAsync<T>(HttpMethod.Get, path, null, null, ct);

    // The key is fixed here, once per logical call, so every retry of the call carries the same one.
    private Task<PartnershipsResponse<T>> WriteAsync<T>(HttpMethod method, string path, object body, string? idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        return _transport.SendAsync<T>(method, path, body, idempotencyKey ?? Guid.NewGuid().ToString(), ct);
    }
}
