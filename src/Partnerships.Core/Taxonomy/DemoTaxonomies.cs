using System.Globalization;

namespace Partnerships.Core.Taxonomy;

/// <summary>The two demo platforms' partner taxonomies and their mappings onto the IAB Ad Product Taxonomy 2.0.</summary>
public static class DemoTaxonomies
{
    /// <summary>
    /// The seeds' pairs. 1500 "Alcohol" holds 1610 "Beer" and 1612 "Craft Beer" — both IAB 1004 Beer, so blocking one
    /// blocks the other on the network — and 1611 "Wine" (IAB 1007, a different sub-vertical). 1502 "Tobacco" holds
    /// 1620 "Cigars" (IAB 1545).
    /// </summary>
    public static IReadOnlyList<MappingInput> FirstPlatform(IReadOnlyList<NetworkCategory> network) =>
    [
        new(1500, 1610, "Alcohol", "Beer", 1004),
        new(1500, 1611, "Alcohol", "Wine", 1007),
        new(1500, 1612, "Alcohol", "Craft Beer", 1004),
        new(1502, 1620, "Tobacco", "Cigars", 1545),
    ];

    /// <summary>
    /// ISO 18245 merchant category codes: the sub-vertical is the MCC, the vertical its hundred (5812 → 5800). Each code
    /// maps by the first keyword of <see cref="Keywords"/> found in its description, else by its range
    /// (<see cref="Ranges"/>), else to 1507 Specialty Stores.
    /// </summary>
    public static IReadOnlyList<MappingInput> MccPlatform(IReadOnlyList<NetworkCategory> network)
    {
        using var stream = typeof(DemoTaxonomies).Assembly.GetManifestResourceStream("mcc-codes.csv")
            ?? throw new InvalidOperationException("embedded mcc-codes.csv missing");
        var rows = new List<MappingInput>();
        foreach (var (_, cells) in Csv.Read(new StreamReader(stream)).Skip(1))
        {
            if (cells.Length < 2 || !long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var mcc)) continue;
            var description = cells[1].Trim();
            var vertical = mcc / 100 * 100;
            rows.Add(new MappingInput(vertical, mcc, $"MCC {vertical:0000}-{vertical + 99:0000}", description, Target(mcc, description)));
        }
        return rows;
    }

    private static long Target(long mcc, string description)
    {
        var text = description.ToLowerInvariant();
        foreach (var (keyword, target) in Keywords)
        {
            if (text.Contains(keyword, StringComparison.Ordinal)) return target;
        }
        foreach (var (from, to, target) in Ranges)
        {
            if (mcc >= from && mcc <= to) return target;
        }
        return 1507;
    }

    private static readonly (string Keyword, long Target)[] Keywords =
    [
        ("liquor", 1006), ("beer", 1004), ("wine", 1007), ("bar", 1003), ("tavern", 1003), ("cigar", 1545), ("tobacco", 1546),
        ("casino", 1362), ("gambling", 1362), ("lotter", 1362), ("betting", 1362),
        ("restaurant", 1360), ("eating", 1360), ("fast food", 1358), ("bakeries", 1356), ("bakery", 1356), ("caterer", 1357),
        ("grocery", 1501), ("supermarket", 1501), ("convenience", 1501), ("candy", 1501), ("dairy", 1501), ("meat", 1501),
        ("drug", 1386), ("pharmac", 1386), ("dentist", 1384), ("doctor", 1388), ("physician", 1388), ("hospital", 1390),
        ("optic", 1395), ("optometr", 1395), ("chiropract", 1381), ("medical", 1388), ("nursing", 1380), ("health", 1388),
        ("airline", 1537), ("air carrier", 1537), ("hotel", 1530), ("motel", 1530), ("lodging", 1530), ("resort", 1530),
        ("cruise", 1538), ("railroad", 1539), ("passenger rail", 1539), ("travel", 1541), ("tour", 1540), ("taxi", 1566),
        ("limousine", 1566), ("car rental", 1567), ("truck rental", 1567), ("automobile", 1560), ("auto ", 1560), ("tire", 1556),
        ("automotive", 1556), ("car wash", 1560), ("towing", 1560), ("insurance", 1340), ("bank", 1337), ("financial", 1337),
        ("securities", 1351), ("loan", 1349), ("tax", 1354), ("accounting", 1336), ("sporting", 1508), ("sports", 1508),
        ("bicycle", 1508), ("golf", 1508), ("clothing", 1497), ("apparel", 1497), ("shoe", 1497), ("men's", 1497),
        ("women's", 1497), ("department store", 1498), ("hardware", 1502), ("lumber", 1502), ("paint", 1502),
        ("music", 1503), ("record", 1503), ("pawn", 1504), ("pet", 1505), ("veterinar", 1505), ("craft", 1495), ("hobby", 1495),
        ("art ", 1495), ("telephone", 1496), ("telecommunication", 1496), ("cell", 1496), ("ticket", 1509),
        ("direct marketing", 1499), ("mail order", 1499), ("catalog", 1499), ("digital goods", 1499),
        ("plumbing", 1411), ("landscap", 1408), ("horticultur", 1408), ("exterminat", 1410), ("cleaning", 1407),
        ("contractor", 1413), ("electrical", 1403), ("utilities", 1403), ("advertising", 1011), ("printing", 1012),
        ("legal", 1012), ("attorney", 1012), ("consulting", 1012), ("business", 1012), ("school", 1012), ("college", 1012),
    ];

    private static readonly (long From, long To, long Target)[] Ranges =
    [
        (1, 1499, 1408),     // agricultural services
        (1500, 2999, 1413),  // contracted services
        (3000, 3350, 1537),  // airlines
        (3351, 3500, 1567),  // car rental
        (3501, 3999, 1530),  // lodging
        (4000, 4799, 1541),  // transportation
        (4800, 4999, 1403),  // utilities and telecommunications
        (5000, 5599, 1507),  // retail outlets
        (5600, 5699, 1497),  // clothing stores
        (5700, 7299, 1507),  // miscellaneous stores
        (7300, 7999, 1012),  // business and personal services
        (8000, 8999, 1388),  // professional and medical services
        (9000, 9999, 1012),  // government services
    ];
}
