using System.Globalization;
using System.Text.Json;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;

namespace Partnerships.Core.Taxonomy;

/// <summary>One vertical-mapping row: a partner pair (with optional display names) and the network sub-vertical it maps to.</summary>
public sealed record MappingInput(long PartnerVerticalId, long PartnerSubVerticalId, string? PartnerVerticalName, string? PartnerSubVerticalName, long NetworkSubVerticalId)
{
    /// <summary>Where the row came from ("line 3", "[2]"), so a rejection names it the way the operator wrote it.</summary>
    public string? Source { get; init; }
}

/// <summary>A parsed load: the rows that parsed and the issues of those that did not (checked together with the taxonomy).</summary>
public sealed record MappingLoad(IReadOnlyList<MappingInput> Rows, IReadOnlyList<FieldIssue> Issues);

/// <summary>Mapping loads: one JSON row, a JSON list, or a CSV of a whole partner taxonomy. Every bad row is named; one rejects the load.</summary>
public static class MappingImport
{
    public const int MaxNameLength = TextRules.DefaultMaxLength;

    public static readonly string[] CsvColumns =
        ["partner_vertical_id", "partner_sub_vertical_id", "partner_vertical_name", "partner_sub_vertical_name", "network_sub_vertical_id"];

    private static readonly string[] RequiredCsvColumns = ["partner_vertical_id", "partner_sub_vertical_id", "network_sub_vertical_id"];

    private static readonly string[] JsonFieldsAllowed =
        ["partnerVerticalId", "partnerSubVerticalId", "partnerVerticalName", "partnerSubVerticalName", "networkSubVerticalId"];

    /// <summary>
    /// One JSON object or a non-empty JSON array of objects with fields <c>partnerVerticalId</c>, <c>partnerSubVerticalId</c>,
    /// <c>partnerVerticalName</c>?, <c>partnerSubVerticalName</c>?, <c>networkSubVerticalId</c> (unknown fields rejected).
    /// Issues name <c>[i].field</c>, or <c>field</c> for a single object.
    /// </summary>
    public static IReadOnlyList<MappingInput> ParseJson(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        var rows = new List<MappingInput>();
        switch (body.ValueKind)
        {
            case JsonValueKind.Object:
                JsonRow(body, "", issues, rows);
                break;
            case JsonValueKind.Array when body.GetArrayLength() == 0:
                issues.Add(new FieldIssue("", "the list is empty: send at least one mapping"));
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in body.EnumerateArray()) JsonRow(item, $"[{i++}]", issues, rows);
                break;
            default:
                issues.Add(new FieldIssue("", "the body must be one mapping object or an array of them"));
                break;
        }
        if (issues.Count > 0) throw Rejected(issues);
        return rows;
    }

    private static void JsonRow(JsonElement item, string path, List<FieldIssue> issues, List<MappingInput> rows)
    {
        var fields = JsonFields.Root(item, JsonFieldsAllowed);
        var v = fields.RequiredPositiveLong("partnerVerticalId");
        var s = fields.RequiredPositiveLong("partnerSubVerticalId");
        var vn = fields.OptionalText("partnerVerticalName", MaxNameLength);
        var sn = fields.OptionalText("partnerSubVerticalName", MaxNameLength);
        var n = fields.RequiredPositiveLong("networkSubVerticalId");
        foreach (var issue in fields.Issues)
        {
            var field = path.Length == 0 ? issue.Field : issue.Field.Length == 0 ? path : $"{path}.{issue.Field}";
            issues.Add(issue with { Field = field });
        }
        if (fields.Issues.Count == 0)
        {
            rows.Add(new MappingInput(v!.Value, s!.Value, Empty(vn), Empty(sn), n!.Value) { Source = path.Length == 0 ? null : path });
        }
    }

    /// <summary>
    /// A CSV (RFC 4180) with a header row naming the columns <see cref="CsvColumns"/> in any order (the two name columns
    /// are optional and may be empty). Issues name <c>line N: column</c>; every bad row is reported in one 400.
    /// </summary>
    public static IReadOnlyList<MappingInput> ParseCsv(TextReader reader)
    {
        var load = ReadCsv(reader);
        if (load.Issues.Count > 0) throw Rejected(load.Issues);
        return load.Rows;
    }

    /// <summary>Reads every row, keeping the bad ones' issues instead of stopping, so one response can name every bad row.</summary>
    /// <remarks>A header that is missing, misspelt or repeats a column rejects the whole file at once.</remarks>
    public static MappingLoad ReadCsv(TextReader reader)
    {
        var issues = new List<FieldIssue>();
        var rows = new List<MappingInput>();
        using var records = Csv.Read(reader).GetEnumerator();
        if (!records.MoveNext())
        {
            throw ApiError.BadRequestAsWhole("Mapping load rejected: empty CSV", new FieldIssue("line 1", "a header row is required: " + string.Join(",", CsvColumns)));
        }
        var header = records.Current.Cells.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        var headerIssues = new List<FieldIssue>();
        foreach (var (name, position) in header.Select((h, i) => (h, i)))
        {
            if (!CsvColumns.Contains(name)) headerIssues.Add(new FieldIssue("line 1", $"unknown column '{name}' (columns: {string.Join(",", CsvColumns)})"));
            else if (Array.IndexOf(header, name) != position) headerIssues.Add(new FieldIssue("line 1", $"column {name} appears twice"));
        }
        headerIssues.AddRange(RequiredCsvColumns.Where(c => !header.Contains(c)).Select(c => new FieldIssue("line 1", $"missing column {c}")));
        if (headerIssues.Count > 0) throw ApiError.BadRequestAsWhole("Mapping load rejected: CSV header", headerIssues);

        var index = CsvColumns.ToDictionary(c => c, c => Array.IndexOf(header, c));
        while (records.MoveNext())
        {
            var (line, cells) = records.Current;
            if (cells.All(c => c.Trim().Length == 0)) continue;
            if (cells.Length > header.Length)
            {
                issues.Add(new FieldIssue($"line {line}", $"has {cells.Length} fields but the header has {header.Length} (quote a field that holds a comma)"));
                continue;
            }
            var before = issues.Count;
            string RawCell(string column) => index[column] >= 0 && index[column] < cells.Length ? cells[index[column]] : "";
            string Cell(string column) => RawCell(column).Trim();
            long Id(string column)
            {
                var text = Cell(column);
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
                issues.Add(new FieldIssue($"line {line}: {column}", text.Length == 0 ? "is required" : $"'{text}' is not a positive integer"));
                return 0;
            }
            string? Name(string column)
            {
                // Checked before trimming: a name with a line break (a quoted cell may hold one) is refused, not folded.
                var text = TextRules.Check(RawCell(column), 0, MaxNameLength, out var issue);
                if (issue is null) return Empty(text);
                issues.Add(new FieldIssue($"line {line}: {column}", issue));
                return null;
            }
            var v = Id("partner_vertical_id");
            var s = Id("partner_sub_vertical_id");
            var vn = Name("partner_vertical_name");
            var sn = Name("partner_sub_vertical_name");
            var n = Id("network_sub_vertical_id");
            if (issues.Count == before) rows.Add(new MappingInput(v, s, vn, sn, n) { Source = $"line {line}" });
        }
        if (rows.Count == 0 && issues.Count == 0) issues.Add(new FieldIssue("line 2", "the CSV has no mapping rows"));
        return new MappingLoad(rows, issues);
    }

    /// <summary>
    /// Checks every row against the network taxonomy: the target must exist and be a sub-vertical (tier 2, or tier 3 which
    /// rolls up to its tier-2 parent; a tier-1 vertical is rejected); one partner pair may not point at two targets in one
    /// load (the same pair twice with the same target is fine). Collects every bad row, together with any
    /// <paramref name="parseIssues"/> of rows that did not parse, into one 400 <c>Mapping load rejected: N bad rows</c>
    /// with one issue per bad row, named by <see cref="MappingInput.Source"/> (else <c>rows[i]</c>).
    /// </summary>
    public static void Validate(IReadOnlyList<MappingInput> rows, IReadOnlyDictionary<long, NetworkCategory> network, IReadOnlyList<FieldIssue>? parseIssues = null)
    {
        var issues = new List<FieldIssue>(parseIssues ?? []);
        var targets = new Dictionary<(long, long), (long Target, string Where)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var where = r.Source ?? $"rows[{i}]";
            var problems = new List<string>();
            if (r.PartnerVerticalId <= 0 || r.PartnerSubVerticalId <= 0) problems.Add("partner ids must be positive integers");
            if (!network.TryGetValue(r.NetworkSubVerticalId, out var target))
            {
                problems.Add($"network category {r.NetworkSubVerticalId} does not exist");
            }
            else if (target.Tier < 2)
            {
                problems.Add($"network category {r.NetworkSubVerticalId} ({target.Name}) is a vertical; map to a sub-vertical (tier 2 or 3)");
            }
            var pair = (r.PartnerVerticalId, r.PartnerSubVerticalId);
            if (targets.TryGetValue(pair, out var earlier))
            {
                if (earlier.Target != r.NetworkSubVerticalId)
                {
                    problems.Add($"the pair {{{r.PartnerVerticalId}, {r.PartnerSubVerticalId}}} already maps to {earlier.Target} at {earlier.Where} in this load");
                }
            }
            else
            {
                targets[pair] = (r.NetworkSubVerticalId, where);
            }
            if (problems.Count > 0) issues.Add(new FieldIssue(where, string.Join("; ", problems)));
        }
        if (issues.Count > 0) throw Rejected(issues.OrderBy(i => LineOf(i.Field)).ToList());
    }

    private static ApiError Rejected(IReadOnlyList<FieldIssue> issues) =>
        ApiError.BadRequestAsWhole($"Mapping load rejected: {issues.Select(i => RowOf(i.Field)).Distinct().Count()} bad rows", issues);

    /// <summary>The row part of an issue's field: "line 3: network_sub_vertical_id" → "line 3", "[2].partnerVerticalId" → "[2]".</summary>
    private static string RowOf(string field)
    {
        if (field.StartsWith("line ", StringComparison.Ordinal)) return field.Split(':')[0];
        if (field.StartsWith('[')) return field[..(field.IndexOf(']') + 1)];
        return field.StartsWith("rows[", StringComparison.Ordinal) ? field : "";
    }

    private static int LineOf(string field) =>
        field.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(field[5..].Split(':')[0], CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;

    private static string? Empty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
