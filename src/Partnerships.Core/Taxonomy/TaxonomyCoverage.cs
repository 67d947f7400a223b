using System.Globalization;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;

namespace Partnerships.Core.Taxonomy;

/// <summary>One pair of the platform's mapping table as the partner sees it (no network id).</summary>
public sealed record MappedCategory(long PartnerVerticalId, long PartnerSubVerticalId, string? VerticalName, string? SubVerticalName)
{
    public PartnerPair Pair => new(PartnerVerticalId, PartnerSubVerticalId);
}

public enum CoverageStatus
{
    /// <summary>The pair has a mapping row: registration and controls accept it.</summary>
    Mapped,
    /// <summary>No mapping row yet: registration and controls refuse it with a 400.</summary>
    NotMapped,
    /// <summary>The line does not parse.</summary>
    Invalid,
    /// <summary>The same pair is on an earlier line.</summary>
    Repeated,
}

/// <summary>One line of the partner's list: what it says and whether the network maps it.</summary>
public sealed record CoverageLine(int Line, CoverageStatus Status, PartnerPair? Pair, string? VerticalName, string? SubVerticalName, string Reason);

/// <summary>The partner's category list, line by line, against the platform's mapping table.</summary>
public sealed record CoverageReport(IReadOnlyList<CoverageLine> Lines, IReadOnlyList<string> Notes, int MappedPairsNotListed)
{
    /// <summary>Set when the list could not be read at all (no header, no id columns, too large): no line is checked.</summary>
    public string? Refusal { get; init; }

    public int Count(CoverageStatus status) => Lines.Count(l => l.Status == status);
}

/// <summary>
/// Reads the category list a platform sends the network before launch — every category and sub-category id with its name,
/// as a CSV (RFC 4180) — and says, line by line, which <c>{vertical, sub-vertical}</c> pairs the platform's mapping
/// table already maps and which not yet (a registration or a controls PUT naming those is a 400). It only reads.
/// </summary>
/// <remarks>
/// The header names its columns in any order, in the mapping CSV's names or the registration body's:
/// <c>partner_vertical_id</c> (or <c>vertical_id</c>), <c>partner_sub_vertical_id</c> (or <c>sub_vertical_id</c>), and
/// optionally <c>partner_vertical_name</c> (<c>vertical_name</c>) and <c>partner_sub_vertical_name</c>
/// (<c>sub_vertical_name</c>, <c>name</c>). Other columns (an operator's <c>network_sub_vertical_id</c>) are not read. A
/// list without a header starts with two ids and is read as vertical id, sub-vertical id, vertical name, sub-vertical name.
/// </remarks>
public static class TaxonomyCoverage
{
    /// <summary>A whole partner taxonomy is a few thousand lines; a list larger than this is refused unread.</summary>
    public const int MaxCharacters = 1024 * 1024;

    /// <summary>Lines past this are not checked (the notes say so).</summary>
    public const int MaxLines = 20_000;

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["partner_vertical_id"] = VerticalId, ["vertical_id"] = VerticalId,
        ["partner_sub_vertical_id"] = SubVerticalId, ["sub_vertical_id"] = SubVerticalId,
        ["partner_vertical_name"] = VerticalName, ["vertical_name"] = VerticalName,
        ["partner_sub_vertical_name"] = SubVerticalName, ["sub_vertical_name"] = SubVerticalName, ["name"] = SubVerticalName,
    };

    private const string VerticalId = "partner_vertical_id";
    private const string SubVerticalId = "partner_sub_vertical_id";
    private const string VerticalName = "partner_vertical_name";
    private const string SubVerticalName = "partner_sub_vertical_name";
    private static readonly string[] Positional = [VerticalId, SubVerticalId, VerticalName, SubVerticalName];

    public static CoverageReport Check(string text, IReadOnlyCollection<MappedCategory> mapped)
    {
        if (text.Length > MaxCharacters)
        {
            return new CoverageReport([], [], 0) { Refusal = $"The list is larger than {MaxCharacters / 1024 / 1024} MiB; check it in parts." };
        }
        var byPair = new Dictionary<PartnerPair, MappedCategory>();
        foreach (var m in mapped) byPair.TryAdd(m.Pair, m);
        var bySub = mapped.GroupBy(m => m.PartnerSubVerticalId).ToDictionary(g => g.Key, g => g.Select(m => m.PartnerVerticalId).Order().ToList());

        var lines = new List<CoverageLine>();
        var notes = new List<string>();
        var seen = new Dictionary<PartnerPair, int>();
        Dictionary<string, int>? columns = null;
        var width = 0;
        using var records = Csv.Read(new StringReader(text)).GetEnumerator();
        while (true)
        {
            int line;
            string[] cells;
            try
            {
                if (!records.MoveNext()) break;
                (line, cells) = records.Current;
            }
            catch (ApiError unterminated) when (unterminated.Details.Count > 0)
            {
                var issue = unterminated.Details[0];
                lines.Add(new CoverageLine(LineNumber(issue.Field), CoverageStatus.Invalid, null, null, null,
                    "a quoted field opens here and is never closed, so the rest of the list cannot be read"));
                break;
            }
            if (cells.All(c => c.Trim().Length == 0)) continue;

            if (columns is null)
            {
                var header = cells.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
                if (header.Any(Aliases.ContainsKey))
                {
                    columns = [];
                    for (var i = 0; i < header.Length; i++)
                    {
                        if (!Aliases.TryGetValue(header[i], out var column)) notes.Add($"Column '{cells[i].Trim()}' is not read.");
                        else if (!columns.TryAdd(column, i)) return Refused($"Line {line}: the header names {column} twice.");
                    }
                    var missing = new[] { VerticalId, SubVerticalId }.Where(c => !columns.ContainsKey(c)).ToList();
                    if (missing.Count > 0) return Refused($"Line {line}: the header has no {string.Join(" or ", missing)} column.");
                    width = header.Length;
                    continue;
                }
                if (cells.Length >= 2 && IsId(cells[0]) && IsId(cells[1]))
                {
                    columns = Positional.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
                    width = Positional.Length;
                    notes.Add("The list has no header: its columns are read as vertical id, sub-vertical id, vertical name, sub-vertical name.");
                }
                else
                {
                    return Refused($"Line {line}: the first line must be a header naming {VerticalId} and {SubVerticalId} (optionally " +
                        $"{VerticalName} and {SubVerticalName}), or a category line starting with its two ids.");
                }
            }

            if (lines.Count >= MaxLines)
            {
                notes.Add($"Only the first {MaxLines} lines were checked.");
                break;
            }
            lines.Add(CheckLine(line, cells, columns, width, byPair, bySub, seen));
        }
        if (columns is null) return Refused("The list is empty.");
        var listed = seen.Keys.ToHashSet();
        return new CoverageReport(lines, notes, byPair.Keys.Count(p => !listed.Contains(p)));

        CoverageReport Refused(string why) => new([], [], 0) { Refusal = why };
    }

    private static CoverageLine CheckLine(int line, string[] cells, Dictionary<string, int> columns, int width,
        Dictionary<PartnerPair, MappedCategory> byPair, Dictionary<long, List<long>> bySub, Dictionary<PartnerPair, int> seen)
    {
        if (cells.Length > width)
        {
            return Invalid($"has {cells.Length} fields but the header has {width} (quote a field that holds a comma)");
        }
        string Raw(string column) => columns.TryGetValue(column, out var i) && i < cells.Length ? cells[i] : "";
        var problems = new List<string>();
        long? Id(string column, string label)
        {
            var value = Raw(column).Trim();
            if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0) return id;
            problems.Add(value.Length == 0 ? $"{label} is missing" : $"{label} '{Shorten(value)}' is not a positive integer");
            return null;
        }
        string? Name(string column, string label)
        {
            var value = TextRules.Check(Raw(column), 0, MappingImport.MaxNameLength, out var issue);
            if (issue is not null) problems.Add($"{label} {issue}");
            return string.IsNullOrEmpty(value) ? null : value;
        }
        var vertical = Id(VerticalId, "the vertical id");
        var sub = Id(SubVerticalId, "the sub-vertical id");
        var verticalName = Name(VerticalName, "the vertical name");
        var subName = Name(SubVerticalName, "the sub-vertical name");
        if (problems.Count > 0 || vertical is null || sub is null) return Invalid(string.Join("; ", problems), verticalName, subName);

        var pair = new PartnerPair(vertical.Value, sub.Value);
        if (seen.TryGetValue(pair, out var earlier))
        {
            return new CoverageLine(line, CoverageStatus.Repeated, pair, verticalName, subName, $"the same pair as line {earlier}");
        }
        seen[pair] = line;
        if (byPair.TryGetValue(pair, out var row))
        {
            var theirs = string.Join(" › ", new[] { row.VerticalName, row.SubVerticalName }.Where(n => !string.IsNullOrEmpty(n)));
            var named = (row.SubVerticalName is null || subName is null || string.Equals(row.SubVerticalName, subName, StringComparison.OrdinalIgnoreCase))
                && (row.VerticalName is null || verticalName is null || string.Equals(row.VerticalName, verticalName, StringComparison.OrdinalIgnoreCase));
            return new CoverageLine(line, CoverageStatus.Mapped, pair, verticalName, subName,
                named ? "" : $"mapped, but the mapping table names it \"{theirs}\": check the ids");
        }
        var reason = "not mapped yet: registering a merchant under this pair, or listing it in controls, is refused " +
            "(400 No partnership vertical mapping exists) until the network maps it";
        if (bySub.TryGetValue(pair.SubVerticalId, out var verticals))
        {
            reason += $"; sub-vertical {pair.SubVerticalId} is mapped under vertical {string.Join(", ", verticals)}";
        }
        return new CoverageLine(line, CoverageStatus.NotMapped, pair, verticalName, subName, reason);

        CoverageLine Invalid(string why, string? vn = null, string? sn = null) => new(line, CoverageStatus.Invalid, null, vn, sn, why);
    }

    private static bool IsId(string cell) => long.TryParse(cell.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;

    private static int LineNumber(string field) =>
        field.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(field[5..], CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
