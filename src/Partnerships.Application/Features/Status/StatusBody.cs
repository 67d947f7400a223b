using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;
using Partnerships.Core.Accounts;

namespace Partnerships.Application.Features.Status;

/// <summary>PUT …/status: the account's status, which every page variant follows.</summary>
[Description("Sets the account's status; every page variant of the account follows it.")]
public sealed record StatusBody([property: JsonPropertyName("status"), Required] AccountStatus Status) : IRequestBody<StatusBody>
{
    public static StatusBody Example => new(AccountStatus.Paused);
}
