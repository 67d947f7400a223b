using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The body of <c>POST /v1/accounts/register/partnership</c>: one merchant of the platform, in the platform's own taxonomy.</summary>
/// <param name="Brand">The merchant's brand, one line, 1–200 characters.</param>
/// <param name="VerticalId">The merchant's vertical in the platform's taxonomy.</param>
/// <param name="SubVerticalId">The merchant's sub-vertical in the platform's taxonomy.</param>
/// <param name="CountryCode">ISO 3166-1 alpha-2, upper case.</param>
/// <param name="PlatformParentAccountId">The platform the access token belongs to.</param>
/// <param name="StoreIdentifier">The store's absolute http(s) URL.</param>
/// <param name="ExternalAccountId">The platform's own id for the merchant (1–128 characters, kept exactly as sent).</param>
/// <param name="ContactEmail">Optional bare e-mail address; not sent when null.</param>
/// <param name="Pages">Optional pages to create with the account; not sent when null.</param>
public sealed record RegisterAccountRequest(
    [property: JsonPropertyName("brand")] string Brand,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id")] long SubVerticalId,
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("store_identifier")] string StoreIdentifier,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("contact_email")] string? ContactEmail = null,
    [property: JsonPropertyName("pages")] IReadOnlyList<PageRequest>? Pages = null);

/// <summary>A page to create: a surface of the store and how the placement is shown there.</summary>
/// <param name="Surface">The surface, e.g. <c>confirmation</c> or <c>returns</c>.</param>
/// <param name="LayoutType"><c>Overlay</c> or <c>Embedded</c>.</param>
public sealed record PageRequest(
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("layout_type")] string LayoutType);

/// <summary>The body of <c>POST /v1/partnership/accounts/{account_id}/pages</c>.</summary>
internal sealed record AddPagesBody([property: JsonPropertyName("pages")] IReadOnlyList<PageRequest> Pages);

/// <summary>A page of an account with the layout that styles it.</summary>
/// <param name="Surface">The surface the page is on.</param>
/// <param name="PageId">The page's id.</param>
/// <param name="LayoutId">The id of the page's layout (for <c>GetLayoutAsync</c> and <c>UpdateLayoutAsync</c>).</param>
/// <param name="PageIdentifier">The identifier the storefront uses for the page.</param>
public sealed record Page(
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("page_identifier")] string PageIdentifier);

/// <summary>The answer to a registration: 201 for a new account, 200 for the account already registered under that external id.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="ExternalAccountId">The platform's id for the merchant.</param>
/// <param name="Status">The account status (<c>active</c> or <c>paused</c>).</param>
/// <param name="Pages">The account's pages.</param>
public sealed record Registration(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pages")] IReadOnlyList<Page> Pages);

/// <summary>A registered account with its pages.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="ExternalAccountId">The platform's id for the merchant.</param>
/// <param name="PlatformParentAccountId">The platform the account belongs to.</param>
/// <param name="Brand">The merchant's brand.</param>
/// <param name="VerticalId">The vertical, in the platform's taxonomy.</param>
/// <param name="SubVerticalId">The sub-vertical, in the platform's taxonomy.</param>
/// <param name="CountryCode">ISO 3166-1 alpha-2.</param>
/// <param name="StoreIdentifier">The store's URL.</param>
/// <param name="ContactEmail">The contact address, if one was given.</param>
/// <param name="Status">The account status (<c>active</c> or <c>paused</c>).</param>
/// <param name="Pages">The account's pages.</param>
/// <param name="CreatedAt">When the account was registered.</param>
public sealed record Account(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("brand")] string Brand,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id")] long SubVerticalId,
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("store_identifier")] string StoreIdentifier,
    [property: JsonPropertyName("contact_email")] string? ContactEmail,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pages")] IReadOnlyList<Page> Pages,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt);

/// <summary>What <c>ListAccountsAsync</c> asks for; every field is optional and left out of the query when null.</summary>
/// <param name="Limit">At most this many accounts per page, 1–100 (the service's default is 10).</param>
/// <param name="StartingAfter">The <c>account_id</c> of the last account of the previous page.</param>
/// <param name="ExternalAccountId">Only the account with this external id (exact match).</param>
/// <param name="Status">Only accounts with this status.</param>
public sealed record AccountListOptions(int? Limit = null, string? StartingAfter = null, string? ExternalAccountId = null, AccountStatus? Status = null);

/// <summary>One page of the platform's accounts, newest first.</summary>
/// <param name="Items">The accounts of this page.</param>
/// <param name="HasMore">Whether more follow: ask again with <c>StartingAfter</c> set to the last item's <c>AccountId</c>.</param>
public sealed record AccountList(
    [property: JsonPropertyName("items")] IReadOnlyList<Account> Items,
    [property: JsonPropertyName("has_more")] bool HasMore);
