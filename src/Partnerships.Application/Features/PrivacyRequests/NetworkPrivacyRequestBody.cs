using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>POST /v1/partnership/network-privacy-requests: one consumer, named by exactly one identifier.</summary>
[Description("A consumer's opt-out of the network or deletion of their data, named by exactly one identifier: email, phoneNumber " +
    "or hashedEmail (none or several is a 400). The identifier is never stored or logged in clear and never echoed in an error.")]
public sealed record NetworkPrivacyRequestBody(
    [property: JsonPropertyName("requestType"), Required] PrivacyRequestType RequestType,
    [property: JsonPropertyName("email"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), StringLength(NetworkPrivacyRequestParser.MaxEmail),
        Description("The consumer's e-mail address (a bare address, no display name).")] string? Email,
    [property: JsonPropertyName("phoneNumber"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), StringLength(16),
        RegularExpression(NetworkPrivacyRequestParser.E164Pattern),
        Description("The consumer's phone number in E.164: + then 8 to 15 digits, the first not 0 (e.g. +14155550123).")] string? PhoneNumber,
    [property: JsonPropertyName("hashedEmail"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), StringLength(64, MinimumLength = 64),
        RegularExpression(NetworkPrivacyRequestParser.Sha256HexPattern),
        Description("SHA-256 of the trimmed, lower-cased e-mail address, as 64 hex digits (either case).")] string? HashedEmail) : IRequestBody<NetworkPrivacyRequestBody>
{
    public static NetworkPrivacyRequestBody Example => new(PrivacyRequestType.NetworkOptOut, "shopper@example.com", null, null);
}
