using System.Text.Json;
using Partnerships.Client;
using Partnerships.Core.Controls;
using Partnerships.Core.Taxonomy;
using CorePolicy = Partnerships.Core.Controls.Policy;

namespace Partnerships.Api.WebConsole;

/// <summary>The partner pages' translation between the typed client's records and the domain's controls records.</summary>
public static class PartnerControls
{
    public static CorePolicy ToCore(Client.Policy p) => p == Client.Policy.Block ? CorePolicy.Block : CorePolicy.Allow;

    public static Client.Policy ToClient(CorePolicy p) => p == CorePolicy.Block ? Client.Policy.Block : Client.Policy.Allow;

    public static MclState StateOf(MarketplaceControls c) => new(c.Name,
        c.BlockedVerticals.Select(b => new Core.Controls.BlockedVertical(b.PartnerVerticalId, b.PartnerSubVerticalId, ToCore(b.Policy), ToCore(b.Position1Policy ?? b.Policy)))
            .OrderBy(b => b.PartnerVerticalId).ThenBy(b => b.PartnerSubVerticalId).ToList(),
        c.Domains.Select(d => new Core.Controls.DomainRule(d.Domain, ToCore(d.Policy))).OrderBy(d => d.Domain, StringComparer.Ordinal).ToList());

    public static ControlsSnapshot SnapshotOf(MarketplaceControls c) => new(StateOf(c),
        c.EffectiveVerticals.Select(e => new Core.Controls.EffectiveVertical(e.VerticalId, e.PartnerVerticalId, ToCore(e.Policy), ToCore(e.Position1Policy))).ToList(),
        c.ContentHash);

    /// <summary>The PUT body for <paramref name="state"/>, guarded by the hash of the state the edit was made from.</summary>
    public static MarketplaceControlsUpdate UpdateOf(MclState state, string baseHash) => new(state.Name,
        state.BlockedVerticals.Select(b => new Client.BlockedVertical(b.PartnerVerticalId, b.PartnerSubVerticalId, ToClient(b.Policy), ToClient(b.Position1Policy))).ToList(),
        state.Domains.Select(d => new Client.DomainRule(d.Domain, ToClient(d.Policy))).ToList(),
        baseHash);

    public static IReadOnlyList<MappedCategory> CategoriesOf(IEnumerable<VerticalMapping> mappings) =>
        mappings.Select(m => new MappedCategory(m.PartnerVerticalId, m.PartnerSubVerticalId, m.PartnerVerticalName, m.PartnerSubVerticalName)).ToList();

    /// <summary>The state a form was rendered from, carried in a hidden field.</summary>
    public static string StateText(MclState state) => JsonSerializer.Serialize(state);

    public static MclState? ParseState(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<MclState>(text) is { Name: not null, BlockedVerticals: not null, Domains: not null } state ? state : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"Alcohol › Beer", or the ids when the mapping table names neither.</summary>
    public static string Label(MappedCategory? c, PartnerPair pair)
    {
        var name = c is null ? "" : string.Join(" › ", new[] { c.VerticalName, c.SubVerticalName }.Where(n => !string.IsNullOrEmpty(n)));
        return name.Length > 0 ? name : $"vertical {pair.VerticalId}, sub-vertical {pair.SubVerticalId}";
    }
}
