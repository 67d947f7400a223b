using Partnerships.Core.Errors;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>Checks every operator use case makes the same way, so each concern refuses the same input with the same words.</summary>
internal static class OperatorChecks
{
    public static void CheckLabel(string? label)
    {
        // Optional free text under the text rules; kept as given, as labels always were.
        if (label is not null && TextRules.Check(label, 0, TextRules.DefaultMaxLength, out var issue) is null) throw ApiError.Field("label", issue!);
        // Stored untrimmed, so the bound applies to the label as given, spaces included.
        if (label is { Length: > TextRules.DefaultMaxLength }) throw ApiError.Field("label", $"must be at most {TextRules.DefaultMaxLength} characters");
    }

    public static async Task RequirePlatformAsync(DbSession s, string platformId)
    {
        if (await PlatformStore.GetAsync(s, platformId) is null)
        {
            throw ApiError.NotFound($"Platform {platformId} not found");
        }
    }
}
