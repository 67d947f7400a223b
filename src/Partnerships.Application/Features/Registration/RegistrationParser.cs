using System.Text.Json;
using Partnerships.Application.Features.Pages;
using Partnerships.Core.Accounts;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Registration;

public static class RegistrationParser
{
    public const int MaxBrand = TextRules.DefaultMaxLength;

    public static RegistrationBody Parse(JsonElement body)
    {
        var f = JsonFields.Root<RegistrationBody>(body);
        var brand = f.RequiredText("brand", max: MaxBrand);
        var vertical = f.RequiredPositiveLong("vertical_id");
        var sub = f.RequiredPositiveLong("sub_vertical_id");
        var country = f.RequiredString("country_code", max: 64, trim: false);
        if (country is not null && !CountryCodes.IsAssigned(country))
        {
            f.Add("country_code", $"{country} is not an assigned ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. US)");
            country = null;
        }
        var platform = f.RequiredString("platform_parent_account_id", max: 128);
        var store = f.RequiredText("store_identifier", max: 2048);
        if (store is not null && !IsStoreUrl(store))
        {
            f.Add("store_identifier", $"store_identifier {store} is not a valid URL");
            store = null;
        }
        // An identifier is kept as sent (not trimmed): "abc" and "abc " must not silently become the same merchant.
        var external = f.RequiredString("external_account_id", max: 128, trim: false);
        if (external is not null && external.Any(char.IsControl))
        {
            f.Add("external_account_id", "must not contain control characters");
            external = null;
        }
        else if (external is not null && external.Trim() != external)
        {
            f.Add("external_account_id", "must not start or end with whitespace");
            external = null;
        }
        var email = f.OptionalText("contact_email", 254);
        if (email is not null && !IsEmail(email))
        {
            // A personal value is never echoed: the issue names the field.
            f.Add("contact_email", "contact_email is not a valid e-mail address");
            email = null;
        }
        var pages = PagesParser.ParseList(f, "pages", required: false);
        f.ThrowIfAny();
        return new RegistrationBody(brand!, vertical!.Value, sub!.Value, country!, platform!, store!, external!, email, pages);
    }

    /// <summary>An absolute http(s) URL whose host has a dot or is localhost, without credentials in it.</summary>
    private static bool IsStoreUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !string.IsNullOrEmpty(uri.Host)
        && (uri.Host.Contains('.') || uri.Host == "localhost") && uri.UserInfo.Length == 0;

    /// <summary>A bare address: <see cref="System.Net.Mail.MailAddress"/> parses it and its <c>Address</c> is the whole input (no display name, no angle brackets).</summary>
    private static bool IsEmail(string value) =>
        System.Net.Mail.MailAddress.TryCreate(value, out var address) && address.Address == value;
}
