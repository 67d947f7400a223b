using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Client.Http;

internal static class ClientJson
{
    /// <summary>Null members are never written: optional fields are omitted, which the service tells apart from null.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

/// <summary>The envelope every answer of the partner surface comes in.</summary>
internal sealed record Envelope<T>(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("data")] T? Data,
    [property: JsonPropertyName("details")] IReadOnlyList<ErrorDetail>? Details);

/// <summary>The token endpoint's answer (RFC 6749 §5.1) or error (§5.2).</summary>
internal sealed record TokenAnswer(
    [property: JsonPropertyName("access_token")] string? AccessToken,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("error_description")] string? ErrorDescription);
