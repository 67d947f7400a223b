using System.Text.Json.Serialization;
using Partnerships.Core.Controls;

namespace Partnerships.Api.Features;

// The request bodies as partners send them, for the OpenAPI document only (the controls reuse the Core records they parse into). The service parses bodies with the Core
// parsers (which reject unknown fields and name every bad one); these records describe the same wire shapes.

public sealed record PageBody(
    [property: JsonPropertyName("surface")] string Surface,
    [property: JsonPropertyName("layout_type")] string LayoutType);

public sealed record RegistrationBody(
    [property: JsonPropertyName("brand")] string Brand,
    [property: JsonPropertyName("vertical_id")] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id")] long SubVerticalId,
    [property: JsonPropertyName("country_code")] string CountryCode,
    [property: JsonPropertyName("platform_parent_account_id")] string PlatformParentAccountId,
    [property: JsonPropertyName("store_identifier")] string StoreIdentifier,
    [property: JsonPropertyName("external_account_id")] string ExternalAccountId,
    [property: JsonPropertyName("contact_email")] string? ContactEmail,
    [property: JsonPropertyName("pages")] IReadOnlyList<PageBody>? Pages);

public sealed record MarketplaceControlsBody(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("blockedVerticals")] IReadOnlyList<BlockedVertical> BlockedVerticals,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainRule> Domains,
    [property: JsonPropertyName("contentHash")] string? ContentHash);

public sealed record StatusBody([property: JsonPropertyName("status")] string Status);

public sealed record PagesBody([property: JsonPropertyName("pages")] IReadOnlyList<PageBody> Pages);

public sealed record LayoutPatchBody(
    [property: JsonPropertyName("primaryColor")] string? PrimaryColor,
    [property: JsonPropertyName("backgroundColor")] string? BackgroundColor,
    [property: JsonPropertyName("textColor")] string? TextColor,
    [property: JsonPropertyName("closeButtonColor")] string? CloseButtonColor,
    [property: JsonPropertyName("borderRadius")] int? BorderRadius);

public sealed record PayoutSetupBody(
    [property: JsonPropertyName("return_url")] string ReturnUrl,
    [property: JsonPropertyName("refresh_url")] string RefreshUrl);
