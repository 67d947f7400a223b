using System.Text.Json.Serialization;
using Partnerships.Application.Features.Pages;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Accounts;

/// <summary>A registered merchant as its platform sees it.</summary>
public sealed record AccountView(
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
    [property: JsonPropertyName("pages")] IReadOnlyList<PageView> Pages,
    [property: JsonPropertyName("created_at")] string CreatedAt)
{
    public static AccountView From(AccountRow a, IReadOnlyList<PageRow> pages, IReadOnlyList<LayoutRow> layouts) => new(
        a.Id, a.ExternalAccountId, a.PlatformId, a.Brand, a.PartnerVerticalId, a.PartnerSubVerticalId, a.CountryCode, a.StoreIdentifier,
        a.ContactEmail, a.Status, PageView.List(pages, layouts), a.CreatedAt);
}
