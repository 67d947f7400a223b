using System.Text.Json.Serialization;

namespace Partnerships.Application.Features.PrivacyRequests;

/// <summary>The 202 answer, as published: not in the envelope.</summary>
public sealed record NetworkPrivacyRequestView(
    [property: JsonPropertyName("requestId")] string RequestId,
    [property: JsonPropertyName("status")] string Status)
{
    public const string Submitted = "submitted";
    /// <summary>The response header carrying <see cref="RequestId"/> (published).</summary>
    public const string HeaderName = "X-Network-Privacy-Request-Id";
}
