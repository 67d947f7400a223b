using System.Globalization;
using System.Text.Json;
using Partnerships.Core.Errors;
using Partnerships.Core.Validation;

namespace Partnerships.Core.Taxonomy;

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
    public static readonly string[] CsvColumns =
        ["partner_vertical_id", "partner_sub_vertical_id", "partner_vertical_name", "partner_sub_vertical_name", "network_sub_vertical_id"];

    private static readonly string[] JsonFieldsAllowed =
        ["partnerVerticalId", "partnerSubVerticalId", "partnerVerticalName", "partnerSubVerticalName", "networkSubVerticalId"];

    public static IReadOnlyList<MappingInput> ParseJson(JsonElement body)
    {
        var issues = new List<FieldIssue>();
        var rows = new List<MappingInput>();
        if (body.ValueKind == JsonValueKind.Object)
        {
            Row(body, "", issues, rows);
        }
        else if (body.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var item in body.EnumerateArray()) Row(item, $"[{i++}]", issues, rows);
        }
        else
        {
            issues.Add(new FieldIssue("", "the body must be one mapping object or an array of them"));
        }
        if (issues.Count > 0) throw ApiError.BadRequest($"Mapping load rejected: {issues.Count} issues", issues);
        return rows;
    }

    private static void Row(JsonElement item, string path, List<FieldIssue> issues, List<MappingInput> rows)
    {
        var fields = JsonFields.Root(item, JsonFieldsAllowed);
        var v = fields.RequiredPositiveLong("partnerVerticalId");
        var s = fields.RequiredPositiveLong("partnerSubVerticalId");
        var vn = fields.OptionalString("partnerVerticalName", 200);
        var sn = fields.OptionalString("partnerSubVerticalName", 200);
        var n = fields.RequiredPositiveLong("networkSubVerticalId");
        var prefix = path.Length == 0 ? "" : path + ".";
        issues.AddRange(fields.Issues.Select(x => x with { Field = prefix + x.Field.TrimStart('.') }));
        if (fields.Issues.Count == 0) rows.Add(new MappingInput(v!.Value, s!.Value, vn, sn, n!.Value) { Source = path.Length == 0 ? null : path });
    }

    public static IReadOnlyList<MappingInput> ParseCsv(TextReader reader)
    {
        var load = ReadCsv(reader);
        if (load.Issues.Count > 0) throw ApiError.BadRequest($"Mapping load rejected: {load.Issues.Select(i => i.Field.Split(':')[0]).Distinct().Count()} bad rows", load.Issues.ToList());
        return load.Rows;
    }

    /// <summary>Reads every row, keeping the bad ones' issues instead of stopping, so one response can name every bad row.</summary>
    public static MappingLoad ReadCsv(TextReader reader)
    {
        var issues = new List<FieldIssue>();
        var rows = new List<MappingInput>();
        using var lines = Csv.Read(reader).GetEnumerator();
        if (!lines.MoveNext())
        {
            throw ApiError.BadRequest("Mapping load rejected: empty CSV", new FieldIssue("line 1", "a header row is required: " + string.Join(",", CsvColumns)));
        }
        var header = lines.Current.Cells.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var index = CsvColumns.ToDictionary(c => c, c => Array.IndexOf(header, c));
        var missing = new[] { "partner_vertical_id", "partner_sub_vertical_id", "network_sub_vertical_id" }.Where(c => index[c] < 0).ToList();
        if (missing.Count > 0)
        {
            throw ApiError.BadRequest("Mapping load rejected: CSV header", missing.Select(m => new FieldIssue("line 1", $"missing column {m}")).ToList());
        }
        while (lines.MoveNext())
        {
            var (line, cells) = lines.Current;
            if (cells.All(c => c.Trim().Length == 0)) continue;
            string Cell(string column) => index[column] >= 0 && index[column] < cells.Length ? cells[index[column]].Trim() : "";
            long? Id(string column)
            {
                var text = Cell(column);
                if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0) return value;
                issues.Add(new FieldIssue($"line {line}: {column}", text.Length == 0 ? "is required" : $"'{text}' is not a positive integer"));
                return null;
            }
            var v = Id("partner_vertical_id");
            var s = Id("partner_sub_vertical_id");
            var n = Id("network_sub_vertical_id");
            if (v is not null && s is not null && n is not null)
            {
                rows.Add(new MappingInput(v.Value, s.Value, Empty(Cell("partner_vertical_name")), Empty(Cell("partner_sub_vertical_name")), n.Value)
                {
                    Source = $"line {line}",
                });
            }
        }
        if (rows.Count == 0 && issues.Count == 0) issues.Add(new FieldIssue("line 2", "the CSV has no mapping rows"));
        return new MappingLoad(rows, issues);
    }

    /// <summary>Every target must be a network sub-vertical (tier 2, or tier 3 which rolls up); one pair, one target per load.</summary>
    public static void Validate(IReadOnlyList<MappingInput> rows, IReadOnlyDictionary<long, NetworkCategory> network, IReadOnlyList<FieldIssue>? parseIssues = null)
    {
        var issues = new List<FieldIssue>(parseIssues ?? []);
        var targets = new Dictionary<(long, long), long>();
        for (var i = 0; i < rows.Count; i++)
        {
            var r = rows[i];
            var where = r.Source ?? $"rows[{i}]";
            if (!network.TryGetValue(r.NetworkSubVerticalId, out var target))
            {
                issues.Add(new FieldIssue(where, $"network category {r.NetworkSubVerticalId} does not exist"));
            }
            else if (target.Tier < 2)
            {
                issues.Add(new FieldIssue(where, $"network category {r.NetworkSubVerticalId} ({target.Name}) is a vertical; map to a sub-vertical"));
            }
            if (targets.TryGetValue((r.PartnerVerticalId, r.PartnerSubVerticalId), out var earlier) && earlier != r.NetworkSubVerticalId)
            {
                issues.Add(new FieldIssue(where, $"the pair appears twice in this load with different targets ({earlier} and {r.NetworkSubVerticalId})"));
            }
            targets.TryAdd((r.PartnerVerticalId, r.PartnerSubVerticalId), r.NetworkSubVerticalId);
        }
        if (issues.Count > 0)
        {
            var ordered = issues.OrderBy(i => LineOf(i.Field)).ToList();
            throw ApiError.BadRequest($"Mapping load rejected: {ordered.Select(i => i.Field.Split(':')[0]).Distinct().Count()} bad rows", ordered);
        }
    }

    private static int LineOf(string field) =>
        field.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(field[5..].Split(':')[0], out var n) ? n : int.MaxValue;

    private static string? Empty(string s) => s.Length == 0 ? null : s;
}
