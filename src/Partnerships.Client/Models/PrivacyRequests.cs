using System.Text.Json.Serialization;

namespace Partnerships.Client;

/// <summary>What a consumer asks of the network.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PrivacyRequestType>))]
public enum PrivacyRequestType
{
    /// <summary>Stop using the consumer's data across the network.</summary>
    [JsonStringEnumMemberName("NETWORK_OPT_OUT")] NetworkOptOut,
    /// <summary>Delete the consumer's data across the network.</summary>
    [JsonStringEnumMemberName("NETWORK_DATA_DELETION")] NetworkDataDeletion,
}

/// <summary>The body of a network privacy request: the type and exactly one identifier (use the factory methods).</summary>
/// <param name="RequestType">Opt-out or data deletion.</param>
/// <param name="Email">The consumer's e-mail address.</param>
/// <param name="PhoneNumber">The consumer's phone number in E.164 (<c>+14155550123</c>).</param>
/// <param name="HashedEmail">SHA-256 hex of the trimmed, lower-cased e-mail address.</param>
public sealed record NetworkPrivacyRequest(
    [property: JsonPropertyName("requestType")] PrivacyRequestType RequestType,
    [property: JsonPropertyName("email")] string? Email = null,
    [property: JsonPropertyName("phoneNumber")] string? PhoneNumber = null,
    [property: JsonPropertyName("hashedEmail")] string? HashedEmail = null)
{
    /// <summary>A request naming the consumer by e-mail address.</summary>
    public static NetworkPrivacyRequest ForEmail(PrivacyRequestType type, string email) => new(type, Email: email);
    /// <summary>A request naming the consumer by phone number (E.164).</summary>
    public static NetworkPrivacyRequest ForPhoneNumber(PrivacyRequestType type, string phoneNumber) => new(type, PhoneNumber: phoneNumber);
    /// <summary>A request naming the consumer by hashed e-mail (see <see cref="HashEmail"/>).</summary>
    public static NetworkPrivacyRequest ForHashedEmail(PrivacyRequestType type, string hashedEmail) => new(type, HashedEmail: hashedEmail);

    /// <summary>The published hashed form of an address: SHA-256 hex of the trimmed, lower-cased address.</summary>
    public static string HashEmail(string email) => Convert.ToHexStringLower(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}

/// <summary>The 202 answer to a network privacy request (sent outside the envelope, as published).</summary>
/// <param name="RequestId">The request's id, also in <c>X-Network-Privacy-Request-Id</c>.</param>
/// <param name="Status"><c>submitted</c>.</param>
public sealed record NetworkPrivacyRequestReceipt(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("status")] string Status);
