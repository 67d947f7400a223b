using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;
using Partnerships.Application.Features.Pages;

namespace Partnerships.Application.Features.Registration;

/// <summary>POST /v1/accounts/register/partnership: a merchant of the platform, in the platform's own taxonomy.</summary>
[Description("Registers a merchant. Registering the same external_account_id again with the same store_identifier returns the " +
    "original account (200); with another store_identifier it is a 409 (reason external_account_id_taken). The " +
    "(vertical_id, sub_vertical_id) pair must be in the platform's vertical mapping table (400 otherwise).")]
public sealed record RegistrationBody(
    [property: JsonPropertyName("brand"), Required, StringLength(RegistrationParser.MaxBrand, MinimumLength = 1)] string Brand,
    [property: JsonPropertyName("vertical_id"), Required, Range(1, long.MaxValue)] long VerticalId,
    [property: JsonPropertyName("sub_vertical_id"), Required, Range(1, long.MaxValue)] long SubVerticalId,
    [property: JsonPropertyName("country_code"), Required, RegularExpression("^[A-Z]{2}$"),
        Description("An assigned ISO 3166-1 alpha-2 code, e.g. US.")] string CountryCode,
    [property: JsonPropertyName("platform_parent_account_id"), Required, StringLength(128, MinimumLength = 1),
        Description("Must be the platform of the access token (403 otherwise).")] string PlatformParentAccountId,
    [property: JsonPropertyName("store_identifier"), Required, StringLength(2048, MinimumLength = 1), Url,
        Description("The storefront's absolute http(s) URL, without credentials; its host has a dot or is localhost.")] string StoreIdentifier,
    [property: JsonPropertyName("external_account_id"), Required, StringLength(128, MinimumLength = 1),
        Description("The platform's own id for the merchant, kept exactly as sent: no control characters, no leading or trailing whitespace.")] string ExternalAccountId,
    [property: JsonPropertyName("contact_email"), EmailAddress, StringLength(254),
        Description("A bare address (no display name). Optional; null is the same as absent.")] string? ContactEmail,
    [property: JsonPropertyName("pages"), MaxLength(PagesParser.MaxPages),
        Description("Pages to create with the account. Optional; null or absent creates none.")] IReadOnlyList<PageBody>? Pages) : IRequestBody<RegistrationBody>
{
    public static RegistrationBody Example => new("Acme Outdoor", 1500, 1610, "US", "plat_demo_one", "https://acme-outdoor.example.com", "merchant-42",
        "owner@acme-outdoor.example.com", [new PageBody(Core.Accounts.Surface.Confirmation, Core.Accounts.LayoutType.Overlay)]);
}
