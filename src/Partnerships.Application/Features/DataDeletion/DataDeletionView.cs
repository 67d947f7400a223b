using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.DataDeletion;

/// <summary>
/// The answer to a data deletion request: queued (the operation in <c>X-Operation-Id</c> turns <c>completed</c> once the
/// worker has erased everything). No operation id in the body: a dry-run answers the same body and has no operation.
/// </summary>
public sealed record DataDeletionView(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("personal_fields")] IReadOnlyList<string> PersonalFields)
{
    public static DataDeletionView Pending(string accountId) => new(accountId, "pending", PersonalData.Fields);
}
