using System.Text.Json;
using System.Text.Json.Serialization;
using Partnerships.Core.Controls;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Partner;

// Partner-facing shapes. Field names follow the seeds exactly (which mix camelCase and snake_case); network ids never appear.

public sealed record PageView(
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("page_id")] string PageId,
    [property: JsonPropertyName("layout_id")] string LayoutId,
    [property: JsonPropertyName("page_identifier")] string PageIdentifier);

public sealed record RegistrationView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("pages")] IReadOnlyList<PageView> Pages);

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
    [property: JsonPropertyName("created_at")] string CreatedAt);

public sealed record MarketplaceControlsView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("marketplaceControlsListId")] string MarketplaceControlsListId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("translatedVerticals")] IReadOnlyList<TranslatedVertical> TranslatedVerticals,
    [property: JsonPropertyName("translated_verticals")] IReadOnlyList<EffectiveVertical> EffectiveVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains,
    [property: JsonPropertyName("contentHash")] string ContentHash,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt);

public sealed record VariantView(
    [property: JsonPropertyName("pageVariantId")] string PageVariantId,
    [property: JsonPropertyName("pageId")] string PageId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status);

public sealed record StatusView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("variants")] IReadOnlyList<VariantView> Variants);

public sealed record LayoutView(
    [property: JsonPropertyName("layoutId")] string LayoutId,
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("pageId")] string PageId,
    [property: JsonPropertyName("layoutType")] string LayoutType,
    [property: JsonPropertyName("primaryColor")] string PrimaryColor,
    [property: JsonPropertyName("backgroundColor")] string BackgroundColor,
    [property: JsonPropertyName("textColor")] string TextColor,
    [property: JsonPropertyName("closeButtonColor")] string CloseButtonColor,
    [property: JsonPropertyName("borderRadius")] long BorderRadius,
    [property: JsonPropertyName("updatedAt")] string UpdatedAt);

public sealed record PartnerMappingView(
    [property: JsonPropertyName("partnerVerticalId")] long PartnerVerticalId,
    [property: JsonPropertyName("partnerSubVerticalId")] long PartnerSubVerticalId,
    [property: JsonPropertyName("partnerVerticalName")] string? PartnerVerticalName,
    [property: JsonPropertyName("partnerSubVerticalName")] string? PartnerSubVerticalName);

public sealed record OperationView(
    [property: JsonPropertyName("operation_id")] string OperationId,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("account_id")] string? AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] string CreatedAt,
    [property: JsonPropertyName("updated_at")] string UpdatedAt,
    [property: JsonPropertyName("response_body")] JsonElement? ResponseBody,
    [property: JsonPropertyName("error")] JsonElement? Error,
    [property: JsonPropertyName("side_effects")] IReadOnlyList<SideEffectView> SideEffects);

/// <summary>The delivery state of one side effect of an operation (a webhook or an email).</summary>
public sealed record SideEffectView(
    [property: JsonPropertyName("channel")] string Channel,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("attempts")] long Attempts,
    [property: JsonPropertyName("last_error")] string? LastError,
    [property: JsonPropertyName("delivered_at")] string? DeliveredAt);

public static class ViewMapping
{
    public static IReadOnlyList<MappingRow> ToDomain(IEnumerable<MappingRowData> rows) =>
        rows.Select(r => new MappingRow(r.PartnerVerticalId, r.PartnerSubVerticalId, r.PartnerSubVerticalName, r.NetworkSubVerticalId)).ToList();

    public static MclState State(ControlsRow row) =>
        JsonSerializer.Deserialize<MclState>(row.StateJson, StateJson) ?? MclState.Empty;

    public static string StateToJson(MclState state) => JsonSerializer.Serialize(state, StateJson);

    public static MarketplaceControlsView Controls(ControlsRow row, MclState state, IReadOnlyList<MappingRow> mappings) => new(
        row.AccountId, row.MclId, state.Name, state.BlockedVerticals, MclViews.Translated(state), MclViews.Effective(state, mappings),
        state.Domains, row.ContentHash, row.UpdatedAt);

    public static PageView Page(PageRow page, IEnumerable<LayoutRow> layouts) =>
        new(page.Surface, page.Id, layouts.First(l => l.PageId == page.Id).Id, page.PageIdentifier);

    public static AccountView Account(AccountRow a, IReadOnlyList<PageRow> pages, IReadOnlyList<LayoutRow> layouts) => new(
        a.Id, a.ExternalAccountId, a.PlatformId, a.Brand, a.PartnerVerticalId, a.PartnerSubVerticalId, a.CountryCode, a.StoreIdentifier,
        a.ContactEmail, a.Status, pages.Select(p => Page(p, layouts)).ToList(), a.CreatedAt);

    public static StatusView Status(AccountRow a, IReadOnlyList<PageVariantRow> variants) => new(
        a.Id, a.Status, variants.Select(v => new VariantView(v.Id, v.PageId, v.Name, v.Status)).ToList());

    public static LayoutView Layout(LayoutRow l) => new(l.Id, l.AccountId, l.PageId, l.LayoutType, l.PrimaryColor, l.BackgroundColor,
        l.TextColor, l.CloseButtonColor, l.BorderRadius, l.UpdatedAt);

    public static OperationView Operation(OperationRow o, IEnumerable<OutboxRow> outbox) => new(o.Id, o.Type, o.AccountId, o.Status,
        o.CreatedAt, o.UpdatedAt, Parse(o.ResponseBody), Parse(o.Error),
        outbox.Select(m => new SideEffectView(m.Channel, m.Topic, m.Status, m.Attempts, m.LastError, m.DeliveredAt)).ToList());

    public static string ETag(string contentHash) => "\"" + contentHash + "\"";

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();

    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
}
