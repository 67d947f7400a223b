using System.Globalization;

namespace Partnerships.Client;

/// <summary>
/// What a response's <c>RateLimit-Policy</c> and <c>RateLimit</c> headers say (draft-ietf-httpapi-ratelimit-headers):
/// the budget the route draws on and what is left of it, so a caller can pace itself before it is refused.
/// </summary>
/// <param name="Policy">The budget's name (<c>register</c>, <c>reads</c>, …).</param>
/// <param name="Limit">Requests allowed in any <paramref name="Window"/>.</param>
/// <param name="Window">The window the limit applies to (60 seconds).</param>
/// <param name="Remaining">Requests left now.</param>
/// <param name="ResetAfter">How long until the window next frees a request.</param>
public sealed record RateLimitStatus(string Policy, int Limit, TimeSpan Window, long Remaining, TimeSpan ResetAfter)
{
    /// <summary>Reads the two header fields; null when either is absent or not in the draft's form.</summary>
    public static RateLimitStatus? Parse(string? policyField, string? stateField)
    {
        if (Item(policyField) is not { } policy || Item(stateField) is not { } state || policy.Name != state.Name) return null;
        if (!policy.Parameters.TryGetValue("q", out var q) || !state.Parameters.TryGetValue("r", out var r)) return null;
        var window = policy.Parameters.TryGetValue("w", out var w) ? w : 60;
        var reset = state.Parameters.TryGetValue("t", out var t) ? t : 0;
        return new RateLimitStatus(policy.Name, (int)Math.Min(q, int.MaxValue), TimeSpan.FromSeconds(window), r, TimeSpan.FromSeconds(reset));
    }

    /// <summary>The first list member of a structured field: a quoted name and its integer parameters.</summary>
    private static (string Name, Dictionary<string, long> Parameters)? Item(string? field)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var member = field.Split(',')[0].Trim();
        var parts = member.Split(';');
        var name = parts[0].Trim();
        if (name.Length < 2 || name[0] != '"' || name[^1] != '"') return null;
        var parameters = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var part in parts.Skip(1))
        {
            var pair = part.Split('=', 2);
            if (pair.Length == 2 && long.TryParse(pair[1].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value)) parameters[pair[0].Trim()] = value;
        }
        return (name[1..^1], parameters);
    }
}
