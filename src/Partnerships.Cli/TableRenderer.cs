using System.Text.Json;

/// <summary>
/// Prints any operator view for a person: the same JSON the <c>json</c> output gives, laid out as aligned columns. A list
/// is one row per item under a header of its field names; a single view is a FIELD/VALUE table, and a list inside it (a
/// page's events, a platform's policies) follows as a table of its own. Nested values are shown as compact JSON.
/// </summary>
internal static class TableRenderer
{
    private const int MaxNestedWidth = 60;

    public static void Write(TextWriter output, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                WriteRows(output, [.. value.EnumerateArray()]);
                break;
            case JsonValueKind.Object:
                var properties = value.EnumerateObject().ToList();
                var lists = properties.Where(p => p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object)).ToList();
                var fields = properties.Except(lists).Select(p => new[] { p.Name, Cell(p.Value) }).ToList();
                if (fields.Count > 0) WriteTable(output, ["FIELD", "VALUE"], fields);
                foreach (var list in lists)
                {
                    if (fields.Count > 0 || list.Name != lists[0].Name) output.WriteLine();
                    output.WriteLine(list.Name.ToUpperInvariant() + ":");
                    WriteRows(output, [.. list.Value.EnumerateArray()]);
                }
                break;
            default:
                output.WriteLine(Cell(value));
                break;
        }
    }

    private static void WriteRows(TextWriter output, IReadOnlyList<JsonElement> rows)
    {
        if (rows.Count == 0)
        {
            output.WriteLine("(none)");
            return;
        }
        if (rows.Any(r => r.ValueKind != JsonValueKind.Object))
        {
            WriteTable(output, ["VALUE"], rows.Select(r => new[] { Cell(r) }).ToList());
            return;
        }
        var columns = rows.SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
        WriteTable(output, columns.Select(c => c.ToUpperInvariant()).ToList(),
            rows.Select(r => columns.Select(c => r.TryGetProperty(c, out var v) ? Cell(v) : "").ToArray()).ToList());
    }

    private static void WriteTable(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        output.WriteLine(Line(header, widths));
        foreach (var row in rows) output.WriteLine(Line(row, widths));
    }

    private static string Line(IReadOnlyList<string> cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd();

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.String => OneLine(value.GetString()!),
        JsonValueKind.Object or JsonValueKind.Array => Shorten(value.GetRawText()),
        _ => value.GetRawText(),
    };

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Shorten(string json) => json.Length <= MaxNestedWidth ? json : json[..(MaxNestedWidth - 1)] + "…";
}
