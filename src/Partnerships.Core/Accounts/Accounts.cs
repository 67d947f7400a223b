using System.Text.Json.Serialization;
using Partnerships.Core.Json;

namespace Partnerships.Core.Accounts;

/// <summary>Where on the merchant's storefront a page is placed; one page per surface per account.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Surface>))]
public enum Surface
{
    [JsonStringEnumMemberName("confirmation")] Confirmation,
    [JsonStringEnumMemberName("tracking")] Tracking,
    [JsonStringEnumMemberName("returns")] Returns,
}

[JsonConverter(typeof(JsonStringEnumConverter<LayoutType>))]
public enum LayoutType { Overlay, Embedded }

[JsonConverter(typeof(JsonStringEnumConverter<AccountStatus>))]
public enum AccountStatus
{
    [JsonStringEnumMemberName("active")] Active,
    [JsonStringEnumMemberName("paused")] Paused,
}

public static class SurfaceNames
{
    public static IReadOnlyDictionary<string, Surface> Surfaces => WireEnum<Surface>.Values;
    public static IReadOnlyDictionary<string, LayoutType> LayoutTypes => WireEnum<LayoutType>.Values;
    public static IReadOnlyDictionary<string, AccountStatus> Statuses => WireEnum<AccountStatus>.Values;

    public static string Wire(Surface s) => WireEnum<Surface>.Name(s);
    public static string PageIdentifier(Surface s) => Wire(s) + "_page";
    public static string Wire(LayoutType t) => WireEnum<LayoutType>.Name(t);
    public static string Wire(AccountStatus s) => WireEnum<AccountStatus>.Name(s);
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
