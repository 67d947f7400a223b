using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Core.Controls;

/// <summary>
/// What a person changed in a controls form, as a delta from the state the form was rendered from: a new name, pairs
/// set to a policy or taken off the list, domains set or removed. Because it names only what was touched, it can be
/// applied again to a newer state (after a 409) and keeps what someone else changed in the meantime.
/// </summary>
public sealed record ControlsEdit(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("pairs")] IReadOnlyList<PairEdit> Pairs,
    [property: JsonPropertyName("domains")] IReadOnlyList<DomainEdit> Domains)
{
    public static ControlsEdit None { get; } = new(null, [], []);

    [JsonIgnore]
    public bool IsEmpty => Name is null && Pairs.Count == 0 && Domains.Count == 0;

    /// <summary>The edit that turns <paramref name="from"/> into <paramref name="to"/>.</summary>
    public static ControlsEdit Between(MclState from, MclState to)
    {
        var was = ControlsDiff.ByPair(from.BlockedVerticals);
        var now = ControlsDiff.ByPair(to.BlockedVerticals);
        var pairs = was.Keys.Union(now.Keys).Order()
            .Where(p => was.GetValueOrDefault(p) != now.GetValueOrDefault(p))
            .Select(p => PairEdit.Of(p, now.GetValueOrDefault(p))).ToList();
        var wasDomains = DomainsOf(from);
        var nowDomains = DomainsOf(to);
        var domains = wasDomains.Keys.Union(nowDomains.Keys).Order(StringComparer.Ordinal)
            .Where(d => (wasDomains.TryGetValue(d, out var b) ? b : (Policy?)null) != (nowDomains.TryGetValue(d, out var a) ? a : (Policy?)null))
            .Select(d => new DomainEdit(d, nowDomains.TryGetValue(d, out var a) ? a : null)).ToList();
        return new ControlsEdit(from.Name == to.Name ? null : to.Name, pairs, domains);
    }

    /// <summary>This edit on top of <paramref name="state"/>: every pair and domain it names takes the edit's value, the rest stays.</summary>
    public MclState ApplyTo(MclState state)
    {
        var pairs = ControlsDiff.ByPair(state.BlockedVerticals);
        foreach (var edit in Pairs)
        {
            if (edit.Policies is { } policies) pairs[edit.Pair] = policies;
            else pairs.Remove(edit.Pair);
        }
        var domains = DomainsOf(state);
        foreach (var edit in Domains)
        {
            if (edit.Policy is { } policy) domains[edit.Domain] = policy;
            else domains.Remove(edit.Domain);
        }
        return new MclState(Name ?? state.Name,
            pairs.OrderBy(p => p.Key).Select(p => new BlockedVertical(p.Key.VerticalId, p.Key.SubVerticalId, p.Value.Policy, p.Value.Position1Policy)).ToList(),
            domains.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DomainRule(d.Key, d.Value)).ToList());
    }

    /// <summary>
    /// What this edit sets that <paramref name="meantime"/> (the change someone else committed since the form was
    /// rendered) changed too, in words: re-applying the edit overrides those.
    /// </summary>
    public IReadOnlyList<string> Overlaps(ControlsDiff meantime)
    {
        var result = new List<string>();
        if (Name is not null && meantime.NameChanged) result.Add($"the name (now \"{meantime.NameAfter}\")");
        var pairs = meantime.Pairs.ToDictionary(p => p.Pair);
        foreach (var edit in Pairs)
        {
            if (pairs.TryGetValue(edit.Pair, out var other)) result.Add($"the pair {edit.Pair} (now {Describe(other.After)})");
        }
        var domains = meantime.Domains.ToDictionary(d => d.Domain, StringComparer.Ordinal);
        foreach (var edit in Domains)
        {
            if (domains.TryGetValue(edit.Domain, out var other)) result.Add($"the domain {edit.Domain} (now {other.After?.ToString() ?? "not listed"})");
        }
        return result;
    }

    /// <summary>A compact text form for a hidden form field (JSON); <see cref="Parse"/> reads it back.</summary>
    public string ToText() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads <see cref="ToText"/>; anything else (an empty or altered field) is no edit at all.</summary>
    public static ControlsEdit Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return None;
        try
        {
            var edit = JsonSerializer.Deserialize<ControlsEdit>(text, Json);
            return edit is { Pairs: not null, Domains: not null } ? edit : None;
        }
        catch (JsonException)
        {
            return None;
        }
    }

    private static string Describe(PairPolicies? p) => p?.ToString() ?? "not listed";

    private static Dictionary<string, Policy> DomainsOf(MclState state)
    {
        var result = new Dictionary<string, Policy>(StringComparer.Ordinal);
        foreach (var d in state.Domains) result.TryAdd(d.Domain, d.Policy);
        return result;
    }

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}

/// <summary>A pair set to <see cref="Policies"/>, or taken off the list when that is null.</summary>
public sealed record PairEdit(
    [property: JsonPropertyName("v")] long VerticalId,
    [property: JsonPropertyName("s")] long SubVerticalId,
    [property: JsonPropertyName("p")] Policy? Policy,
    [property: JsonPropertyName("p1")] Policy? Position1Policy)
{
    [JsonIgnore] public PartnerPair Pair => new(VerticalId, SubVerticalId);

    [JsonIgnore] public PairPolicies? Policies => Policy is { } p ? new PairPolicies(p, Position1Policy ?? p) : null;

    public static PairEdit Of(PartnerPair pair, PairPolicies? policies) => new(pair.VerticalId, pair.SubVerticalId, policies?.Policy, policies?.Position1Policy);
}

/// <summary>A domain set to <see cref="Policy"/>, or removed when that is null.</summary>
public sealed record DomainEdit(
    [property: JsonPropertyName("d")] string Domain,
    [property: JsonPropertyName("p")] Policy? Policy);
