using System.Globalization;
using System.Text.RegularExpressions;

namespace Partnerships.Core.Taxonomy;

/// <summary>The two demo platforms' partner taxonomies and their mappings onto the IAB Ad Product Taxonomy 2.0.</summary>
public static class DemoTaxonomies
{
    /// <summary>
    /// The seeds' pairs (seed 004): <c>{1500,1610}</c>, <c>{1500,1611}</c>, <c>{1500,1612}</c>, <c>{1502,1620}</c>.
    /// The seed blocks 1610 and reads 1611 back as allowed, so 1500 is read as an "Alcohol" vertical with 1610 "Beer",
    /// 1611 "Wine" and 1612 "Craft Beer", and 1502 as "Tobacco" with 1620 "Cigars". Beer and Craft Beer both map to IAB
    /// 1004 "Beer" (Alcohol › Beer): the seed's many-to-one case, where blocking one partner sub-vertical blocks the
    /// network sub-vertical both share. Wine maps to IAB 1007 "Wine", a different sub-vertical, so blocking beer leaves
    /// wine allowed as in the seed's GET. Cigars map to IAB 1545 "Cigars" (Tobacco › Cigars). All four targets are tier 2.
    /// </summary>
    /// <exception cref="InvalidOperationException">The network taxonomy is not the IAB one these ids come from.</exception>
    public static IReadOnlyList<MappingInput> FirstPlatform(IReadOnlyList<NetworkCategory> network)
    {
        var byId = network.ToDictionary(c => c.Id);
        return
        [
            new(1500, 1610, "Alcohol", "Beer", Require(byId, 1004, "Beer")),
            new(1500, 1611, "Alcohol", "Wine", Require(byId, 1007, "Wine")),
            new(1500, 1612, "Alcohol", "Craft Beer", Require(byId, 1004, "Beer")),
            new(1502, 1620, "Tobacco", "Cigars", Require(byId, 1545, "Cigars")),
        ];
    }

    /// <summary>The sub-vertical for a merchant category code that no rule matches: IAB 1012 "Business Services".</summary>
    /// <remarks>
    /// What is left after the keyword table is mostly wholesale, government and back-office codes ("Intra-Company
    /// Purchases", "Court Costs", "Industrial Supplies"), which are services bought by businesses, not consumer retail.
    /// </remarks>
    public const long MccFallback = 1012;

    /// <summary>
    /// ISO 18245 merchant category codes (the embedded <c>mcc-codes.csv</c>, public domain) as the second platform's taxonomy:
    /// the sub-vertical id is the MCC, the vertical id its hundred (5812 → 5800, named "MCC 5800-5899"), the sub-vertical
    /// name the code's <c>edited_description</c>. Each code maps to an IAB sub-vertical (tier 2 or 3) by, in order:
    /// <list type="number">
    /// <item>the ISO 18245 ranges reserved for brand codes, whose descriptions are brand names ("QANTAS", "HERTZ
    /// RENT-A-CAR", "SHERATON HOTELS"): 3000–3350 airlines → 1537 Air Travel, 3351–3500 car rental → 1567 Vehicle Rental,
    /// 3501–3999 lodging → 1533 Hotels and Resorts;</item>
    /// <item>else the first rule of <see cref="Keywords"/> whose pattern (case-insensitive, on word boundaries) matches
    /// the description; specific rules come before generic ones ("store", "service");</item>
    /// <item>else <see cref="MccFallback"/>.</item>
    /// </list>
    /// </summary>
    public static IReadOnlyList<MappingInput> MccPlatform(IReadOnlyList<NetworkCategory> network)
    {
        var byId = network.ToDictionary(c => c.Id);
        foreach (var target in BrandRanges.Select(r => r.Target).Concat(Keywords.Select(k => k.Target)).Append(MccFallback).Distinct())
        {
            Require(byId, target, null);
        }
        using var stream = typeof(DemoTaxonomies).Assembly.GetManifestResourceStream("mcc-codes.csv")
            ?? throw new InvalidOperationException("embedded mcc-codes.csv missing");
        using var reader = new StreamReader(stream);
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext()) throw new InvalidOperationException("embedded mcc-codes.csv is empty");
        var header = records.Current.Cells.Select(h => h.Trim()).ToArray();
        var mccColumn = Array.IndexOf(header, "mcc");
        var descriptionColumn = Array.IndexOf(header, "edited_description");
        if (mccColumn < 0 || descriptionColumn < 0) throw new InvalidOperationException("mcc-codes.csv lacks the mcc or edited_description column");

        var rows = new List<MappingInput>();
        while (records.MoveNext())
        {
            var (line, cells) = records.Current;
            if (cells.All(c => c.Trim().Length == 0)) continue;
            if (!long.TryParse(cells[mccColumn].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var mcc))
            {
                throw new InvalidOperationException($"mcc-codes.csv line {line}: '{cells[mccColumn]}' is not an MCC");
            }
            var description = Regex.Replace(cells[descriptionColumn], @"\s+", " ").Trim();
            var vertical = mcc / 100 * 100;
            rows.Add(new MappingInput(vertical, mcc, $"MCC {vertical:0000}-{vertical + 99:0000}", description, MccTarget(mcc, description)));
        }
        return rows;
    }

    /// <summary>The IAB sub-vertical an MCC maps to (see <see cref="MccPlatform"/>).</summary>
    public static long MccTarget(long mcc, string description)
    {
        foreach (var (from, to, target) in BrandRanges)
        {
            if (mcc >= from && mcc <= to) return target;
        }
        foreach (var (pattern, target) in Keywords)
        {
            if (pattern.IsMatch(description)) return target;
        }
        return MccFallback;
    }

    private static readonly (long From, long To, long Target)[] BrandRanges =
    [
        (3000, 3350, 1537), // airlines → Air Travel
        (3351, 3500, 1567), // car rental agencies → Vehicle Rental
        (3501, 3999, 1533), // hotels, motels, resorts → Accommodations › Hotels and Resorts
    ];

    /// <summary>Description keyword → IAB sub-vertical, first match wins. The comment names the IAB target.</summary>
    public static readonly IReadOnlyList<(Regex Pattern, long Target)> Keywords = new (string Pattern, long Target)[]
    {
        // Alcohol, tobacco, gambling: the brand-safety-sensitive categories come first.
        (@"liquor|package stores", 1006),                                  // Alcohol › Spirits
        (@"drinking places|bars|taverns|cocktail|nightclub", 1003),         // Alcohol › Bars
        (@"cigars?|tobacco", 1545),                                         // Tobacco › Cigars
        (@"betting|wagers?|racing", 1366),                                  // Gambling › Sports Betting
        (@"casinos?|gambling", 1362),                                       // Gambling › Casinos
        (@"lotter(y|ies)", 1365),                                           // Gambling › Lottery
        (@"dating", 1260),                                                  // Dating › Casual Relationships
        // Travel and transport.
        (@"airlines?|air carriers?|airports?", 1537),                       // Travel › Air Travel
        (@"cruise|steamship", 1538),                                        // Travel › Cruises
        (@"railroads?|railways?", 1539),                                    // Travel › Rail Travel
        (@"travel|tour operat\w*|package tour", 1541),                     // Travel › Travel Agents and Online Travel Services
        (@"tourist|bus lines|amusement parks?|aquariums?", 1540),           // Travel › Sightseeing Tours and Activities
        (@"timeshares?", 1535),                                             // Accommodations › Timeshares
        (@"camp ?grounds|trailer parks|recreational camps", 1532),          // Accommodations › Camping and Camp Grounds
        (@"lodging|hotels?|motels?|resorts?", 1533),                        // Accommodations › Hotels and Resorts
        (@"taxicabs|limousines", 1566),                                     // Vehicles › Taxi Services
        (@"car rental|rentals?.{0,20}(truck|trailer|vehicle)|(truck|trailer|vehicle).{0,20}rentals?", 1567), // Vehicles › Vehicle Rental
        (@"freight|courier|trucking|delivery|postal", 1019),                // Business Services › Logistics and Delivery
        (@"warehousing|storage", 1025),                                     // Business Services › Storage Facilities
        // Vehicles.
        (@"car washes", 1563),                                              // Automotive Services › Car Wash
        (@"towing", 1561),                                                  // Automotive Services › Auto Towing
        (@"automotive (body|service)|paint shops – automotive|tire re-treading", 1562), // Automotive Services › Auto Repair
        (@"tires?|automobile supply|automotive parts|motor vehicle supplies", 1558), // Automotive Products › Parts and Accessories
        (@"boats?|marinas?", 1569),                                         // Vehicle Type › Boats
        (@"motorcycle|snowmobile", 1575),                                   // Vehicle Type › Scooters, Motorbikes, and E-bikes
        (@"motor homes?|mobile homes?|trailers|camp dealers", 1574),        // Vehicle Type › Recreational Vehicles
        (@"(car|truck|auto) dealers|automobile and truck dealers", 1553),   // Vehicles › Automotive Ownership
        (@"service stations|fuel dispensers|truck stop|parking|automobile associations", 1560), // Vehicles › Automotive Services
        // Food and drink.
        (@"fast food", 1358),                                               // Food and Beverage Services › Fast Food
        (@"caterers", 1357),                                                // Food and Beverage Services › Catering
        (@"bakeries", 1356),                                                // Food and Beverage Services › Bakeries
        (@"eating places|restaurants?", 1360),                              // Food and Beverage Services › Restaurants
        (@"grocery|supermarkets?|convenience stores|food stores|meat provisioners|dairy products|candy", 1501), // Retail › Grocery Stores and Supermarkets
        // Health.
        (@"drug stores|pharmacies|drugs", 1386),                            // Health › Drugstores and Pharmacies
        (@"testing laboratories", 1045),                                    // Business and Industrial › Science and Laboratory
        (@"medical, dental|hearing aids|orthopedic|prosthetic", 1043),      // Business and Industrial › Medical and Biotechnology
        (@"dentists|orthodontists", 1384),                                  // Health › Dental Care
        (@"chiropractors|podiatrists", 1392),                               // Health › Physical Therapists
        (@"optometrists|ophthalmologists|opticians|eyeglasses", 1395),      // Health › Vision Care
        (@"hospitals|ambulance", 1390),                                     // Health › Hospitals
        (@"nursing|personal care facilities", 1380),                        // Health › Assisted Living
        (@"counseling", 1391),                                              // Health › Mental Health
        (@"massage", 1379),                                                 // Health › Alternative and Natural Medicine
        (@"doctors|physicians|osteopaths|medical|health practitioners", 1388), // Health › General Practitioners
        (@"veterinary", 1466),                                              // Pet Ownership › Veterinary Services
        (@"pets?", 1505),                                                   // Retail › Pet and Pet Supply Stores
        // Money.
        (@"insurance", 1340),                                               // Finance › Insurance
        (@"tax", 1354),                                                     // Finance › Tax Preparation Services
        (@"accounting|bookkeeping", 1336),                                  // Finance › Accountants and Bookkeepers
        (@"security brokers|securities", 1351),                             // Finance › Stocks and Investments
        (@"credit reporting", 1338),                                        // Finance › Credit and Debt Repair/Credit Reporting
        (@"financial institutions|money orders|wire transfer|travelers cheques|foreign currency", 1337), // Finance › Banking
        (@"real estate", 1484),                                             // Real Estate › Real Estate Rentals
        (@"bail", 1418),                                                    // Legal Services › Bail Bonds
        (@"legal services|attorneys", 1417),                                // Legal Services › Lawyers
        // Retail.
        (@"department stores|discount stores|variety stores|wholesale clubs|general merchandise|duty free", 1498), // Retail › Department Stores
        (@"sporting goods|sports apparel|bicycle", 1508),                   // Retail › Sporting Goods Stores
        (@"shoes?|footwear", 1070),                                         // Clothing and Accessories › Footwear
        (@"cloth\w*|apparel|wear|uniforms|tailors|furriers", 1497),        // Retail › Clothing Stores
        (@"jewelry|watch|precious stones", 1073),                           // Clothing and Accessories › Jewelry and Watches
        (@"digital goods: media", 1431),                                    // Media › Music and Video Streaming Services
        (@"digital goods: games", 1425),                                    // Media › Core Gaming
        (@"digital goods: applications", 1086),                             // Software › Personal Computer Software
        (@"direct marketing|mail order|catalog|door-to-door|digital goods", 1499), // Retail › eCommerce
        (@"music|musical|record shops", 1503),                              // Retail › Musical Instruments and Record Stores
        (@"pawn", 1504),                                                    // Retail › Pawn Shops
        (@"antiques?", 1076),                                               // Collectables and Antiques › Antiques
        (@"stamp and coin", 1081),                                          // Collectables and Antiques › Stamps
        (@"hardware|lumber|building materials|home supply|paints?", 1502), // Retail › Hardware Stores
        (@"florists?|flowers", 1372),                                       // Gifts › Flowers
        (@"nurseries|lawn and garden", 1285),                               // Home and Garden Products › Lawn and Garden Products
        (@"fireplaces?", 1281),                                             // Home and Garden Products › Fireplaces
        (@"floor covering", 1280),                                          // Home and Garden Products › Carpets and Rugs
        (@"furniture|home furnishings?|drapery", 1268),                     // Durable Goods › Furniture
        (@"household appliance", 1289),                                     // Durable Goods › Household Appliances
        (@"computer software", 1086),                                        // Software › Personal Computer Software
        (@"computers", 1106),                                               // Consumer Electronics › Computers
        (@"computer|information retrieval", 1017),                          // Business Services › Information Technology Services
        (@"video game|video amusement", 1121),                               // Consumer Electronics › Video Games and Consoles
        (@"books?|periodicals|newspapers|news dealers", 1422),                // Media › Books and Audio Books
        (@"stationery|office|typewriter", 1206),                            // Office/School Supplies › Office Products
        (@"cosmetic", 1138),                                                // Consumer Packaged Goods › Cosmetics
        (@"photographic studios|commercial photography", 1021),             // Business Services › Photographers
        (@"camera|photographic|photofinishing", 1100),                      // Consumer Electronics › Cameras and Photo
        (@"electronic", 1110),                                              // Consumer Electronics › Electronics Accessories
        (@"hobby|toys?|game shops", 1248),                                  // Consumer Packaged Goods › Toys and Games
        (@"artist’?s supply|craft", 1495),                                  // Retail › Arts and Crafts Supplies
        (@"art dealers|galleries", 1009),                                   // Culture and Fine Arts › Museums and Galleries
        (@"gift|novelty|souvenir|card shops", 1376),                        // Gifts › Greeting Cards
        (@"religious goods", 1239),                                         // Consumer Packaged Goods › Religious Items
        // Organisations and education.
        (@"religious", 1493),                                               // Religion › Religious organizations
        (@"charitable", 1453),                                              // Non-Profits › Charities and Donations
        (@"political", 1477),                                               // Politics › Political Action Committees
        (@"civic|fraternal|social associations", 1454),                     // Non-Profits › Civic Organizations
        (@"membership organizations", 1455),                                // Non-Profits › Federations and Professional Associations
        (@"child care", 1330),                                              // Childcare › Day Care Centers
        (@"dance", 1511),                                                   // Fitness Activities › Dance Studios
        (@"colleges|universities", 1298),                                   // Education › Colleges and Universities
        (@"vocational|trade schools", 1314),                                // Education › Trade Schools
        (@"correspondence schools", 1304),                                  // Education › Online Education
        (@"business and secretarial schools", 1296),                        // Education › Adult Education
        (@"schools|educational", 1305),                                     // Education › Primary Education
        (@"employment|temporary help", 1301),                               // Education and Careers › Employment Agencies
        // Entertainment and recreation.
        (@"theatrical|ticket", 1509),                                       // Retail › Ticket Services
        (@"motion picture theaters", 1317),                                 // Events › Cinemas and Movie Events
        (@"motion pictures|video tape", 1428),                              // Media › DVDs
        (@"bands|orchestras|entertainers", 1319),                           // Events › Concerts
        (@"commercial sports|sport promoters", 1325),                       // Events › Sporting Events
        (@"golf|bowling|billiard|athletic|recreation", 1513),               // Fitness Activities › Participant Sports Leagues
        // Home and business services.
        (@"barber|beauty", 1090),                                           // Cosmetic Services › Hair Salons
        (@"laundry|dry cleaners|garment", 1018),                            // Business Services › Laundry and Dry Cleaning Services
        (@"exterminating", 1410),                                           // Home and Garden Services › Pest Exterminators
        (@"cleaning|janitorial", 1407),                                     // Home and Garden Services › Housekeeping Services
        (@"plumbing|heating", 1411),                                        // Home and Garden Services › Plumbers
        (@"swimming pools", 1412),                                          // Home and Garden Services › Pool and Spa Installation and Maintenance
        (@"air conditioning|refrigeration|appliance repair|electrical and small appliance", 1397), // Home and Garden Services › Appliance Repair
        (@"landscaping|horticultural|agricultural", 1408),                  // Home and Garden Services › Landscaping Services
        (@"contractors|construction|roofing|carpentry|masonry|welding", 1413), // Home and Garden Services › Remodeling and Construction
        (@"protective|security", 1024),                                     // Business Services › Security and Protection
        (@"architectural|engineering", 1038),                               // Industrials › Construction and Engineering
        (@"advertising", 1011),                                             // Business and Industrial › Advertising and Marketing
        (@"consulting|public relations|management", 1013),                  // Business Services › Consulting
        (@"printing|publishing|typesetting|blueprinting|photocopy|copy|stenographic", 1022), // Business Services › Printing/Fax/WiFi Services
        (@"cable|pay television", 1470),                                    // Personal Telcom › Home Television Services
        (@"telecommunications? equipment|telephone", 1496),                 // Retail › Cell Phone Stores
        (@"telecommunication|fax|telegraph|visaphone", 1026),               // Business Services › Telecom Services
        (@"utilities", 1403),                                               // Home and Garden Services › Gas and Electric Services
        (@"fuel|petroleum", 1033),                                          // Energy Industry › Oil, Gas and Consumable Fuels
        (@"chemicals|industrial|metal|durable goods|commercial equipment|construction materials", 1036), // Business and Industrial › Industrials
        // Generic: any remaining shop is a specialty store.
        (@"stores?|shops?|dealers|retail|sales", 1507),                     // Retail › Specialty Stores
    }.Select(k => (new Regex($@"\b(?:{k.Pattern})\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant), k.Target)).ToArray();

    private static long Require(Dictionary<long, NetworkCategory> network, long id, string? name)
    {
        if (!network.TryGetValue(id, out var category) || category.Tier < 2 || (name is not null && category.Name != name))
        {
            throw new InvalidOperationException(
                $"the demo mappings need IAB Ad Product Taxonomy 2.0 sub-vertical {id}{(name is null ? "" : $" \"{name}\"")}; load the default network taxonomy first");
        }
        return id;
    }
}
