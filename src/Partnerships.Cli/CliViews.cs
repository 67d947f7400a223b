using System.Text.Json.Serialization;

/// <summary>What <c>migrate</c> applied (empty when the store was current).</summary>
internal sealed record MigrationsView([property: JsonPropertyName("applied")] IReadOnlyList<string> Applied);

/// <summary>What <c>audit export --out FILE</c> wrote.</summary>
internal sealed record AuditExportView(
    [property: JsonPropertyName("file")] string File,
    [property: JsonPropertyName("exported")] long Exported);
