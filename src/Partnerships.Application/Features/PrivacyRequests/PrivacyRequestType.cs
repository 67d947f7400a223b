using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>What the consumer asks of the network (published names).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PrivacyRequestType>))]
public enum PrivacyRequestType
{
    [JsonStringEnumMemberName("NETWORK_OPT_OUT")] NetworkOptOut,
    [JsonStringEnumMemberName("NETWORK_DATA_DELETION")] NetworkDataDeletion,
}

/// <summary>Which identifier a request names the consumer by: the body field it came in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<IdentifierKind>))]
public enum IdentifierKind
{
    [JsonStringEnumMemberName("email")] Email,
    [JsonStringEnumMemberName("phoneNumber")] PhoneNumber,
    [JsonStringEnumMemberName("hashedEmail")] HashedEmail,
}
