using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The status a partner can set on an account.</summary>
public enum AccountStatus
{
    /// <summary>The account and its page variants serve.</summary>
    [JsonStringEnumMemberName("active")] Active,
    /// <summary>The account and its page variants are paused.</summary>
    [JsonStringEnumMemberName("paused")] Paused,
}

/// <summary>The body of the status PUT.</summary>
internal sealed record StatusBody([property: JsonPropertyName("status"), JsonConverter(typeof(JsonStringEnumConverter<AccountStatus>))] AccountStatus Status);

/// <summary>An account's status with the page variants it cascades to.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="Status">The account status (<c>active</c> or <c>paused</c>).</param>
/// <param name="Variants">The account's page variants with their own status.</param>
public sealed record AccountState(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("variants")] IReadOnlyList<PageVariant> Variants);

/// <summary>A page variant and its status.</summary>
/// <param name="PageVariantId">The variant's id.</param>
/// <param name="PageId">The page it belongs to.</param>
/// <param name="Name">The variant's name.</param>
/// <param name="Status">The variant's status.</param>
public sealed record PageVariant(
    [property: JsonPropertyName("pageVariantId")] string PageVariantId,
    [property: JsonPropertyName("pageId")] string PageId,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("status")] string Status);

/// <summary>The answer to adding pages.</summary>
/// <param name="AccountId">The account's id.</param>
/// <param name="Pages">The pages created.</param>
public sealed record PagesAdded(
    [property: JsonPropertyName("accountId")] string AccountId,
    [property: JsonPropertyName("pages")] IReadOnlyList<Page> Pages);
