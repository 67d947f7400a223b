using System.Text.Json;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Application.Features.Controls;

namespace Partnerships.Tests.Domain.Controls;

/// <summary>Shared inputs for the marketplace controls tests: the seeds' mapping shape and small JSON helpers.</summary>
internal static class ControlsTestData
{
    public const long Beer = 1004;
    public const long Wine = 1007;
    public const long Tobacco = 1545;

    /// <summary>Seed 004's pairs: 1610 and 1612 map to the same network sub-vertical, 1611 and 1620 to others.</summary>
    public static readonly IReadOnlyList<MappingRow> SeedMappings =
    [
        new(1500, 1610, "Beer", Beer),
        new(1500, 1611, "Wine", Wine),
        new(1500, 1612, "Craft Beer", Beer),
        new(1502, 1620, "Cigars", Tobacco),
    ];

    public static JsonElement Json(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>A valid PUT body with the given arrays (JSON text) spliced in.</summary>
    public static JsonElement Body(string blockedVerticals = "[]", string domains = "[]", string name = "\"Acme Network Controls\"") =>
        Json($$"""{ "name": {{name}}, "blockedVerticals": {{blockedVerticals}}, "domains": {{domains}} }""");

    public static MclPutRequest Parse(string json) => MclPutParser.Parse(Json(json));

    /// <summary>Parses a body expected to fail validation and returns the rejection.</summary>
    public static ApiError Reject(JsonElement body)
    {
        var error = Assert.Throws<ApiError>(() => MclPutParser.Parse(body));
        Assert.Equal(400, error.Status);
        Assert.Equal(ErrorCodes.BadRequest, error.Code);
        return error;
    }

    public static ApiError Reject(string json) => Reject(Json(json));

    public static IReadOnlyList<string> Fields(ApiError error) => error.Details.Select(d => d.Field).ToList();

    public static string IssueFor(ApiError error, string field) => Assert.Single(error.Details, d => d.Field == field).Issue;

    public static BlockedVertical Entry(long vertical, long sub, Policy policy, Policy? position1 = null) => new(vertical, sub, policy, position1 ?? policy);
}
