using System.Text.Json;
using System.Text.RegularExpressions;
using Partnerships.Core.Validation;

namespace Partnerships.Core.Accounts;

public enum Surface { Confirmation, Tracking, Returns }
public enum LayoutType { Overlay, Embedded }
public enum AccountStatus { Active, Paused }

public sealed record PageRequest(Surface Surface, LayoutType LayoutType);

public sealed record RegistrationRequest(string Brand, long VerticalId, long SubVerticalId, string CountryCode, string PlatformParentAccountId,
    string StoreIdentifier, string ExternalAccountId, string? ContactEmail, IReadOnlyList<PageRequest> Pages);

public sealed record LayoutPatch(string? PrimaryColor, string? BackgroundColor, string? TextColor, string? CloseButtonColor, int? BorderRadius);

public static class SurfaceNames
{
    public static readonly IReadOnlyDictionary<string, Surface> Surfaces = new Dictionary<string, Surface>
    {
        ["confirmation"] = Surface.Confirmation, ["tracking"] = Surface.Tracking, ["returns"] = Surface.Returns,
    };
    public static readonly IReadOnlyDictionary<string, LayoutType> LayoutTypes = new Dictionary<string, LayoutType>
    {
        ["Overlay"] = LayoutType.Overlay, ["Embedded"] = LayoutType.Embedded,
    };
    public static readonly IReadOnlyDictionary<string, AccountStatus> Statuses = new Dictionary<string, AccountStatus>
    {
        ["active"] = AccountStatus.Active, ["paused"] = AccountStatus.Paused,
    };

    public static string Wire(Surface s) => s.ToString().ToLowerInvariant();
    public static string PageIdentifier(Surface s) => Wire(s) + "_page";
    public static string Wire(LayoutType t) => t.ToString();
    public static string Wire(AccountStatus s) => s.ToString().ToLowerInvariant();
}

public static class RegistrationParser
{
    private static readonly string[] Allowed =
        ["brand", "vertical_id", "sub_vertical_id", "country_code", "platform_parent_account_id", "store_identifier", "external_account_id", "contact_email", "pages"];

    public static RegistrationRequest Parse(JsonElement body)
    {
        var f = JsonFields.Root(body, Allowed);
        var brand = f.RequiredText("brand");
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
            f.Add("contact_email", $"{email} is not an email address");
            email = null;
        }
        var pages = PagesParser.ParseList(f, "pages", required: false);
        f.ThrowIfAny();
        return new RegistrationRequest(brand!, vertical!.Value, sub!.Value, country!, platform!, store!, external!, email, pages);
    }

    /// <summary>An absolute http(s) URL whose host has a dot or is localhost, without credentials in it.</summary>
    private static bool IsStoreUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && !string.IsNullOrEmpty(uri.Host)
        && (uri.Host.Contains('.') || uri.Host == "localhost") && uri.UserInfo.Length == 0;

    /// <summary>A bare address: <see cref="System.Net.Mail.MailAddress"/> parses it and its <c>Address</c> is the whole input (no display name, no angle brackets).</summary>
    private static bool IsEmail(string value) =>
        System.Net.Mail.MailAddress.TryCreate(value, out var address) && address.Address == value;
}

public static class PagesParser
{
    public static IReadOnlyList<PageRequest> Parse(JsonElement body)
    {
        var f = JsonFields.Root(body, "pages");
        var pages = f.IsObject ? ParseList(f, "pages", required: true) : [];
        f.ThrowIfAny();
        return pages;
    }

    internal static IReadOnlyList<PageRequest> ParseList(JsonFields f, string name, bool required)
    {
        var result = new List<PageRequest>();
        JsonElement array;
        if (!f.TryGet(name, out array) || array.ValueKind == JsonValueKind.Null)
        {
            if (required) f.Add(name, "is required: a non-empty list of {surface, layout_type}");
            return result;
        }
        if (array.ValueKind != JsonValueKind.Array) { f.Add(name, "must be an array"); return result; }
        if (array.GetArrayLength() > SurfaceNames.Surfaces.Count)
        {
            f.Add(name, $"must have at most {SurfaceNames.Surfaces.Count} items (one per surface); it has {array.GetArrayLength()}");
            return result;
        }
        if (required && array.GetArrayLength() == 0) { f.Add(name, "must contain at least one page"); return result; }
        var seen = new HashSet<Surface>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{name}[{i}]";
            var entry = f.Nested(path, item, "surface", "layout_type");
            if (entry is not null)
            {
                var surface = entry.RequiredEnum("surface", SurfaceNames.Surfaces);
                var layout = entry.RequiredEnum("layout_type", SurfaceNames.LayoutTypes);
                if (surface is { } s && !seen.Add(s)) f.Add(path + ".surface", $"{SurfaceNames.Wire(s)} appears twice");
                else if (surface is { } s2 && layout is { } l) result.Add(new PageRequest(s2, l));
            }
            i++;
        }
        return result;
    }
}

public static class StatusParser
{
    public static AccountStatus Parse(JsonElement body)
    {
        var f = JsonFields.Root(body, "status");
        var status = f.RequiredEnum("status", SurfaceNames.Statuses);
        f.ThrowIfAny();
        return status!.Value;
    }
}

public static partial class LayoutPatchParser
{
    private static readonly string[] Colors = ["primaryColor", "backgroundColor", "textColor", "closeButtonColor"];

    public static LayoutPatch Parse(JsonElement body)
    {
        var f = JsonFields.Root(body, [.. Colors, "borderRadius"]);
        var values = new Dictionary<string, string?>();
        foreach (var name in Colors) values[name] = Color(f, name);
        int? radius = null;
        if (f.TryGet("borderRadius", out var r))
        {
            if (r.ValueKind == JsonValueKind.Null) f.Add("borderRadius", "cannot be null; omit the field to keep its value");
            else if (r.ValueKind != JsonValueKind.Number || !r.TryGetInt32(out var n)) f.Add("borderRadius", "must be an integer number of pixels");
            else if (n is < 0 or > 64) f.Add("borderRadius", "must be from 0 to 64 pixels");
            else radius = n;
        }
        if (f.IsObject && !f.Element.EnumerateObject().Any()) f.Add("", "send at least one of primaryColor, backgroundColor, textColor, closeButtonColor, borderRadius");
        f.ThrowIfAny();
        return new LayoutPatch(values["primaryColor"], values["backgroundColor"], values["textColor"], values["closeButtonColor"], radius);
    }

    private static string? Color(JsonFields f, string name)
    {
        if (!f.TryGet(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Null) { f.Add(name, "cannot be null; omit the field to keep its value"); return null; }
        if (v.ValueKind != JsonValueKind.String || !HexColor().IsMatch(v.GetString()!)) { f.Add(name, "must be a hex colour like #1a73e8 or #fff"); return null; }
        var hex = v.GetString()!.ToLowerInvariant();
        return hex.Length == 4 ? $"#{hex[1]}{hex[1]}{hex[2]}{hex[2]}{hex[3]}{hex[3]}" : hex;
    }

    [GeneratedRegex("^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
    private static partial Regex HexColor();
}

/// <summary>The officially assigned ISO 3166-1 alpha-2 codes.</summary>
public static class CountryCodes
{
    private static readonly HashSet<string> Assigned = new(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK " +
         "CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS " +
         "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV " +
         "LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM " +
         "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR " +
         "TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW").Split(' '), StringComparer.Ordinal);

    public static bool IsAssigned(string code) => Assigned.Contains(code);
    public static int Count => Assigned.Count;
}
