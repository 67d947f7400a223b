using System.Globalization;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;

namespace Partnerships.Core.Taxonomy;

/// <summary>
/// A network category. Tier 1 is a vertical (<c>VerticalId = Id</c>, no sub-vertical); tier 2 a sub-vertical
/// (<c>VerticalId</c> = its parent, <c>SubVerticalId = Id</c>); tier 3 rolls up to its tier-2 parent
/// (<c>SubVerticalId</c> = that parent, <c>VerticalId</c> = the tier-1 ancestor).
/// </summary>
public sealed record NetworkCategory(long Id, long? ParentId, string Name, int Tier, long VerticalId, long? SubVerticalId);

/// <summary>Reads a network taxonomy in the IAB Tech Lab TSV layout.</summary>
public static class NetworkTaxonomyParser
{
    public const string DefaultResource = "iab-ad-product-taxonomy-2.0.tsv";

    private const int MaxDepth = 8;

    /// <summary>The shipped IAB Ad Product Taxonomy 2.0 (IAB Tech Lab, CC BY 3.0).</summary>
    public static IReadOnlyList<NetworkCategory> LoadDefault()
    {
        using var stream = typeof(NetworkTaxonomyParser).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded {DefaultResource} missing");
        using var reader = new StreamReader(stream);
        return ParseIabTsv(reader);
    }

    /// <summary>
    /// IAB layout, tab-separated, header row first: <c>Unique ID, Parent ID, Name, Tier 1, Tier 2, Tier 3</c> (the tier
    /// columns may be absent). Every bad line is named in one 400.
    /// </summary>
    /// <remarks>
    /// The tier columns spell each row's path ("Business and Industrial / Industrials / Aerospace and Defense"). Where they
    /// resolve to rows of the file they decide the parent, because the published 2.0 file has Parent ID slips the path
    /// contradicts: row 1000 "Ad Safety Risk" is its own parent (its path has one level: tier 1), row 1037 "Aerospace and
    /// Defense" is its own parent too (its path puts it under 1036 "Industrials": tier 3), and 1426 "Core Gaming Apps"
    /// points at 1423 "Casual Games" (its path says 1425 "Core Gaming"). Without usable tier columns the Parent ID is
    /// used, and a row that is its own parent is a root. <see cref="NetworkCategory.ParentId"/> is the parent so decided.
    /// </remarks>
    public static IReadOnlyList<NetworkCategory> ParseIabTsv(TextReader reader)
    {
        var header = reader.ReadLine();
        if (header is null || !header.TrimStart('\uFEFF').StartsWith("Unique ID\tParent ID\tName", StringComparison.Ordinal))
        {
            throw ApiError.BadRequestAsWhole("Taxonomy file rejected: not an IAB taxonomy file",
                new FieldIssue("line 1", "the header must start with Unique ID<TAB>Parent ID<TAB>Name"));
        }

        var issues = new List<FieldIssue>();
        var rows = new List<Row>();
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var cells = line.Split('\t');
            if (cells.Length < 3)
            {
                issues.Add(new FieldIssue($"line {lineNumber}", "needs at least Unique ID, Parent ID and Name separated by tabs"));
                continue;
            }
            var problems = new List<string>();
            if (!TryId(cells[0], out var id)) problems.Add($"Unique ID '{cells[0].Trim()}' is not a positive integer");
            long? parent = null;
            if (cells[1].Trim().Length > 0)
            {
                if (TryId(cells[1], out var p)) parent = p;
                else problems.Add($"Parent ID '{cells[1].Trim()}' is not a positive integer");
            }
            var name = TextRules.Check(cells[2], 1, TextRules.DefaultMaxLength, out var nameIssue) ?? "";
            if (nameIssue is not null) problems.Add(cells[2].Trim().Length == 0 ? "Name is empty" : "Name " + nameIssue);
            if (problems.Count > 0)
            {
                issues.Add(new FieldIssue($"line {lineNumber}", string.Join("; ", problems)));
                continue;
            }
            var path = cells.Skip(3).Take(3).Select(c => c.Trim()).TakeWhile(c => c.Length > 0).ToArray();
            rows.Add(new Row(id, parent, name, path, lineNumber));
        }

        var byId = new Dictionary<long, Row>();
        foreach (var row in rows)
        {
            if (!byId.TryAdd(row.Id, row)) issues.Add(new FieldIssue($"line {row.Line}", $"duplicate Unique ID {row.Id} (first on line {byId[row.Id].Line})"));
        }

        // Path → row, for rows whose own name ends their path; an ambiguous path is not used.
        var byPath = new Dictionary<string, long>(StringComparer.Ordinal);
        var ambiguous = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in byId.Values.Where(r => r.Path.Length > 0 && r.Path[^1] == r.Name))
        {
            var key = string.Join('\t', row.Path);
            if (!byPath.TryAdd(key, row.Id)) ambiguous.Add(key);
        }
        foreach (var key in ambiguous) byPath.Remove(key);

        var parents = new Dictionary<long, long?>();
        foreach (var row in byId.Values) parents[row.Id] = ParentOf(row, byPath);

        var result = new List<NetworkCategory>();
        foreach (var row in rows)
        {
            if (!ReferenceEquals(byId[row.Id], row)) continue; // a duplicate, already reported
            var chain = new List<long> { row.Id };
            string? broken = null;
            for (var current = parents[row.Id]; current is { } parentId; current = parents[parentId])
            {
                if (!byId.ContainsKey(parentId)) { broken = $"Parent ID {parentId} is not in the file"; break; }
                if (chain.Contains(parentId) || chain.Count >= MaxDepth) { broken = $"Parent ID {row.ParentId} makes a cycle"; break; }
                chain.Add(parentId);
            }
            if (broken is not null)
            {
                issues.Add(new FieldIssue($"line {row.Line}", broken));
                continue;
            }
            chain.Reverse(); // root first
            var tier = chain.Count;
            result.Add(new NetworkCategory(row.Id, parents[row.Id], row.Name, tier, chain[0], tier >= 2 ? chain[1] : null));
        }

        if (issues.Count > 0)
        {
            var ordered = issues.OrderBy(i => int.Parse(i.Field["line ".Length..], CultureInfo.InvariantCulture)).ToList();
            throw ApiError.BadRequestAsWhole($"Taxonomy file rejected: {ordered.Select(i => i.Field).Distinct().Count()} bad rows", ordered);
        }
        if (result.Count == 0) throw ApiError.BadRequestAsWhole("Taxonomy file rejected: no categories", new FieldIssue("line 2", "the file has no category rows"));
        return result;
    }

    private static long? ParentOf(Row row, Dictionary<string, long> byPath)
    {
        if (row.Path.Length > 0 && row.Path[^1] == row.Name)
        {
            if (row.Path.Length == 1) return null;
            if (byPath.TryGetValue(string.Join('\t', row.Path[..^1]), out var fromPath)) return fromPath;
        }
        return row.ParentId == row.Id ? null : row.ParentId;
    }

    private static bool TryId(string text, out long id) =>
        long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0;

    private sealed record Row(long Id, long? ParentId, string Name, string[] Path, int Line);
}
