using System.Text.Json.Serialization;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Status;

/// <summary>An account's status and the status of each of its page variants.</summary>
public sealed record StatusView(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("variants")] IReadOnlyList<VariantView> Variants)
{
    public static StatusView From(AccountRow a, IReadOnlyList<PageVariantRow> variants) => new(
        a.Id, a.Status, variants.Select(v => new VariantView(v.Id, v.PageId, v.Name, v.Status)).ToList());
}

public sealed record VariantView(
    [property: JsonPropertyName("pageVariantId")] string PageVariantId,
    [property: JsonPropertyName("pageId")] string PageId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status);
