using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>The body of a data deletion request: an empty object.</summary>
internal sealed record DataDeletionBody;

/// <summary>A queued data deletion (the 202's <c>data</c>); its operation is the response's <c>OperationId</c>.</summary>
/// <param name="AccountId">The account whose personal data is erased.</param>
/// <param name="Status"><c>pending</c>: the erasure is queued; wait for the operation to turn <c>completed</c>.</param>
/// <param name="PersonalFields">The account fields erased (<c>contact_email</c>).</param>
public sealed record DataDeletion(
    [property: JsonPropertyName("account_id")] string AccountId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("personal_fields")] IReadOnlyList<string> PersonalFields);
