using System.ComponentModel;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.DataDeletion;

/// <summary>
/// POST …/data-deletion-requests: an empty object. The request names its account in the path; it takes no reason or
/// other free text, which would be personal data kept about the very erasure.
/// </summary>
[Description("An empty object: the account in the path is the one whose personal data is erased. Any field is refused.")]
public sealed record DataDeletionBody : IRequestBody<DataDeletionBody>
{
    public static DataDeletionBody Example => new();
}
