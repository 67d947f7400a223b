using System.Globalization;
using Partnerships.Core.Errors;

namespace Partnerships.Core.Taxonomy;

/// <summary>A network category. Tier 1 is a vertical; tier 2 a sub-vertical; tier 3 rolls up to its tier-2 parent.</summary>
public sealed record NetworkCategory(long Id, long? ParentId, string Name, int Tier, long VerticalId, long? SubVerticalId);

public static class NetworkTaxonomyParser
{
    public const string DefaultResource = "iab-ad-product-taxonomy-2.0.tsv";

    public static IReadOnlyList<NetworkCategory> LoadDefault()
    {
        using var stream = typeof(NetworkTaxonomyParser).Assembly.GetManifestResourceStream(DefaultResource)
            ?? throw new InvalidOperationException($"embedded {DefaultResource} missing");
        return ParseIabTsv(new StreamReader(stream));
    }

    /// <summary>IAB layout: Unique ID, Parent ID, Name, Tier 1, Tier 2, Tier 3 (tab-separated, header row first).</summary>
    public static IReadOnlyList<NetworkCategory> ParseIabTsv(TextReader reader)
    {
        var issues = new List<FieldIssue>();
        var rows = new List<(long Id, long? Parent, string Name, int Line)>();
        var header = reader.ReadLine();
        if (header is null || !header.StartsWith("Unique ID\tParent ID\tName", StringComparison.Ordinal))
        {
            throw ApiError.BadRequest("Not an IAB taxonomy file", new FieldIssue("line 1", "header must start with 'Unique ID<TAB>Parent ID<TAB>Name'"));
        }
        var lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var cells = line.Split('\t');
            if (cells.Length < 3 || !long.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                issues.Add(new FieldIssue($"line {lineNumber}", "needs a numeric Unique ID, a Parent ID column and a Name"));
                continue;
            }
            long? parent = null;
            if (cells[1].Trim().Length > 0)
            {
                if (!long.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out var p)) { issues.Add(new FieldIssue($"line {lineNumber}", "Parent ID must be numeric")); continue; }
                // The source lists "Ad Safety Risk" as its own parent: a self-parent is a root.
                if (p != id) parent = p;
            }
            rows.Add((id, parent, cells[2].Trim(), lineNumber));
        }
        var byId = new Dictionary<long, (long Id, long? Parent, string Name, int Line)>();
        foreach (var row in rows)
        {
            if (!byId.TryAdd(row.Id, row)) issues.Add(new FieldIssue($"line {row.Line}", $"duplicate Unique ID {row.Id}"));
        }
        var result = new List<NetworkCategory>();
        foreach (var row in rows)
        {
            var chain = new List<long> { row.Id };
            var current = row;
            var broken = false;
            while (current.Parent is { } parentId)
            {
                if (!byId.TryGetValue(parentId, out var parentRow) || chain.Count > 8) { broken = true; break; }
                chain.Add(parentRow.Id);
                current = parentRow;
            }
            if (broken) { issues.Add(new FieldIssue($"line {row.Line}", $"Parent ID {row.Parent} is unknown or cyclic")); continue; }
            chain.Reverse(); // root first
            var tier = chain.Count;
            result.Add(new NetworkCategory(row.Id, row.Parent, row.Name, tier, chain[0], tier >= 2 ? chain[1] : null));
        }
        if (issues.Count > 0) throw ApiError.BadRequest($"Taxonomy file rejected: {issues.Count} bad rows", issues);
        return result;
    }
}
