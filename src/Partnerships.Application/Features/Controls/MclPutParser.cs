using System.Text.Json;
using Partnerships.Core.Controls;
using Partnerships.Core.Json;
using Partnerships.Core.Validation;

namespace Partnerships.Application.Features.Controls;

/// <summary>
/// Parses a marketplace controls PUT. SET semantics: the body is the whole desired state, so every field is required
/// (omission is not emptiness), unknown fields are rejected (a typo must not clear a merchant's blocks), and every
/// issue is reported at once.
/// </summary>
public static class MclPutParser
{
    public static IReadOnlyDictionary<string, Policy> Policies => WireEnum<Policy>.Values;

    /// <summary>A merchant's domain rules are a short list of competitors and unsafe sites, not a crawl list.</summary>
    public const int MaxDomains = 1000;

    /// <param name="maxBlockedVerticals">The platform's mapping table size: a pair appears once, so a longer list cannot be valid.</param>
    public static MclPutRequest Parse(JsonElement body, int maxBlockedVerticals = int.MaxValue)
    {
        var root = JsonFields.Root<MarketplaceControlsBody>(body);
        var name = root.RequiredText("name");
        var verticals = ParseVerticals(root, maxBlockedVerticals);
        var domains = ParseDomains(root);
        string? contentHash = null;
        if (root.TryGet("contentHash", out var hash) && hash.ValueKind != JsonValueKind.Null)
        {
            if (hash.ValueKind == JsonValueKind.String) contentHash = hash.GetString();
            else root.Add("contentHash", "must be a string");
        }
        root.ThrowIfAny();
        var ordered = verticals.OrderBy(v => v.Entry.PartnerVerticalId).ThenBy(v => v.Entry.PartnerSubVerticalId).ToList();
        return new MclPutRequest(new MclState(name!, ordered.Select(v => v.Entry).ToList(), domains.OrderBy(d => d.Domain, StringComparer.Ordinal).ToList()),
            contentHash, ordered.Select(v => v.Index).ToList());
    }

    private static List<(BlockedVertical Entry, int Index)> ParseVerticals(JsonFields root, int max)
    {
        var result = new List<(BlockedVertical, int)>();
        if (root.RequiredArray("blockedVerticals", max, "the number of pairs in your vertical mapping table") is not { } array) return result;
        var seen = new Dictionary<(long, long), BlockedVertical>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"blockedVerticals[{i}]";
            var entry = root.Nested<BlockedVerticalBody>(path, item);
            if (entry is not null)
            {
                var vertical = entry.RequiredPositiveLong("partnerVerticalId");
                var sub = entry.RequiredPositiveLong("partnerSubVerticalId");
                var policy = entry.RequiredEnum("policy", Policies);
                var position1 = entry.OptionalEnum("position1Policy", Policies);
                if (policy == Policy.Block && position1 == Policy.Allow)
                {
                    entry.Add(entry.Path("position1Policy"), "cannot be Allow when policy is Block (a blocked vertical cannot be allowed in position 1)");
                }
                else if (vertical is { } v && sub is { } s && policy is { } p)
                {
                    var candidate = new BlockedVertical(v, s, p, position1 ?? p);
                    if (seen.TryGetValue((v, s), out var earlier))
                    {
                        if (earlier != candidate) root.Add(path, $"partnerVerticalId {v} / partnerSubVerticalId {s} appears twice with different policies");
                    }
                    else
                    {
                        seen[(v, s)] = candidate;
                        result.Add((candidate, i));
                    }
                }
            }
            i++;
        }
        return result;
    }

    private static List<DomainRule> ParseDomains(JsonFields root)
    {
        var result = new Dictionary<string, DomainRule>(StringComparer.Ordinal);
        if (root.RequiredArray("domains", MaxDomains) is not { } array) return [];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"domains[{i}]";
            var entry = root.Nested<DomainRuleBody>(path, item);
            if (entry is not null)
            {
                var raw = entry.RequiredString("domain", max: 2048);
                var policy = entry.RequiredEnum("policy", Policies);
                if (raw is not null)
                {
                    if (!DomainNormalizer.TryNormalize(raw, out var domain, out var issue))
                    {
                        entry.Add(entry.Path("domain"), issue);
                    }
                    else if (policy is { } p)
                    {
                        if (result.TryGetValue(domain, out var earlier) && earlier.Policy != p) root.Add(path, $"{domain} appears twice with different policies");
                        else result[domain] = new DomainRule(domain, p);
                    }
                }
            }
            i++;
        }
        return result.Values.ToList();
    }
}
