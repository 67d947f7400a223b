using Microsoft.AspNetCore.Mvc;
using Partnerships.Client;
using Partnerships.Core.Controls;
using Partnerships.Core.Taxonomy;
using CorePolicy = Partnerships.Core.Controls.Policy;

namespace Partnerships.Api.WebConsole.Pages.Partner;

/// <summary>
/// A merchant's controls in the platform's taxonomy. The form carries the state it was rendered from (and its
/// contentHash), the edit made so far as a delta, and an Idempotency-Key made for this rendering. Preview is the real PUT
/// as a dry-run, shown as a difference from the current controls; Save is the PUT with that key, so submitting the same
/// form again replays its answer. A stale hash (409) shows what changed meanwhile and re-applies the edit on the fresh state.
/// </summary>
public sealed class ControlsModel : PartnerPageModel
{
    /// <summary>With more mapped categories than this, the form lists the listed ones and what a search finds.</summary>
    public const int ListAllUpTo = 60;

    /// <summary>A search shows at most this many categories.</summary>
    public const int MaxShown = 100;

    public string AccountId { get; private set; } = "";
    public string Brand { get; private set; } = "";
    public MclState Base { get; private set; } = MclState.Empty;
    public string BaseHash { get; private set; } = "";
    public MclState Desired { get; private set; } = MclState.Empty;
    public ControlsEdit Edit { get; private set; } = ControlsEdit.None;
    public string IdempotencyKey { get; private set; } = "";
    public string? Query { get; private set; }
    public IReadOnlyList<MappedCategory> Categories { get; private set; } = [];
    public IReadOnlyList<MappedCategory> Shown { get; private set; } = [];
    public int MatchCount { get; private set; }

    /// <summary>The difference the edit would make (Preview).</summary>
    public ControlsDiff? Preview { get; private set; }

    /// <summary>What the last Save did, and whether its answer was a replay of an earlier submission of the same form.</summary>
    public SaveResult? Saved { get; private set; }

    /// <summary>What someone else changed since the form was rendered (a 409), and what of it the edit overrides.</summary>
    public StaleResult? Stale { get; private set; }

    public string? Error { get; private set; }
    public IReadOnlyList<ErrorDetail> ErrorDetails { get; private set; } = [];

    public sealed record SaveResult(bool Replayed, string? OperationId, string? RequestId, ControlsDiff Changes, string IdempotencyKey);

    public sealed record StaleResult(ControlsDiff Meantime, IReadOnlyList<string> Overlaps);

    public MappedCategory? CategoryOf(PartnerPair pair) => _byPair.GetValueOrDefault(pair);

    private Dictionary<PartnerPair, MappedCategory> _byPair = [];

    public async Task OnGetAsync(string accountId, string? q)
    {
        AccountId = accountId;
        Query = Clean(q);
        var current = await LoadAsync();
        Rebase(current.Data);
        Desired = Base;
        Finish();
    }

    /// <summary>Search (or Enter in a field): the edit so far is kept, nothing is sent.</summary>
    public async Task OnPostSearchAsync(string accountId)
    {
        AccountId = accountId;
        await ReadFormAsync();
        Finish();
    }

    public async Task OnPostPreviewAsync(string accountId)
    {
        AccountId = accountId;
        await ReadFormAsync();
        await PreviewAsync();
        Finish();
    }

    public async Task OnPostSaveAsync(string accountId)
    {
        AccountId = accountId;
        await ReadFormAsync();
        var key = Request.Form["idempotency_key"].ToString();
        if (!Guid.TryParse(key, out _))
        {
            Error = "This form has no usable Idempotency-Key; Preview again to get a fresh form.";
            Finish();
            return;
        }
        try
        {
            var saved = await Api.PutMarketplaceControlsAsync(AccountId, PartnerControls.UpdateOf(Desired, BaseHash), key, HttpContext.RequestAborted);
            var after = PartnerControls.StateOf(saved.Data);
            Saved = new SaveResult(saved.Replayed, saved.OperationId, saved.RequestId,
                ControlsDiff.Between(Base, BaseHash, after, saved.Data.ContentHash), key);
            Rebase(saved.Data);
            Desired = Base;
            Edit = ControlsEdit.None;
        }
        catch (PartnershipsApiException e) when (IsStale(e))
        {
            await StaleAsync();
        }
        catch (PartnershipsApiException e) when (e.StatusCode == 422 && e.ErrorCode == "ValidationFailed" && e.Message.Contains("Idempotency-Key", StringComparison.OrdinalIgnoreCase))
        {
            Error = "This form was already saved with other content (its Idempotency-Key is used up). Preview again: that renders a fresh form.";
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Refused(e);
        }
        Finish();
    }

    private async Task PreviewAsync()
    {
        var current = await Api.GetMarketplaceControlsAsync(AccountId, HttpContext.RequestAborted);
        if (current.Data.ContentHash != BaseHash)
        {
            ShowStale(current.Data);
            return;
        }
        try
        {
            // A dry-run uses up its key, so it gets its own; the form's key stays for the real Save.
            var dry = await Api.PutMarketplaceControlsDryRunAsync(AccountId, PartnerControls.UpdateOf(Desired, BaseHash), Guid.NewGuid().ToString(), HttpContext.RequestAborted);
            Preview = ControlsDiff.Between(PartnerControls.SnapshotOf(current.Data), PartnerControls.SnapshotOf(dry.Data));
        }
        catch (PartnershipsApiException e) when (IsStale(e))
        {
            await StaleAsync();
        }
        catch (PartnershipsApiException e) when (e.StatusCode is 400 or 409 or 422 or 429)
        {
            Refused(e);
        }
    }

    private async Task StaleAsync() => ShowStale((await Api.GetMarketplaceControlsAsync(AccountId, HttpContext.RequestAborted)).Data);

    /// <summary>The form is rendered again on the fresh state with the same edit on top, and a new key for its Save.</summary>
    private void ShowStale(MarketplaceControls fresh)
    {
        var freshState = PartnerControls.StateOf(fresh);
        var meantime = ControlsDiff.Between(Base, BaseHash, freshState, fresh.ContentHash);
        Stale = new StaleResult(meantime, Edit.Overlaps(meantime));
        Base = freshState;
        BaseHash = fresh.ContentHash;
        Desired = Edit.ApplyTo(Base);
    }

    private static bool IsStale(PartnershipsApiException e) => e.IsStaleContentHash || e.StatusCode == 412;

    private void Refused(PartnershipsApiException e)
    {
        Error = e.Message;
        ErrorDetails = e.Details;
    }

    private async Task<PartnershipsResponse<MarketplaceControls>> LoadAsync()
    {
        var account = Api.GetAccountAsync(AccountId, HttpContext.RequestAborted);
        var controls = Api.GetMarketplaceControlsAsync(AccountId, HttpContext.RequestAborted);
        var mappings = Api.ListVerticalMappingsAsync(HttpContext.RequestAborted);
        await Task.WhenAll(account, controls, mappings);
        Brand = (await account).Data.Brand;
        Categories = PartnerControls.CategoriesOf((await mappings).Data);
        return await controls;
    }

    private void Rebase(MarketplaceControls controls)
    {
        Base = PartnerControls.StateOf(controls);
        BaseHash = controls.ContentHash;
    }

    /// <summary>
    /// The desired state: the form's base state with the carried edit on top, then what the visible fields say (the
    /// name, each shown category's policy, each domain's policy, a new domain). Categories not shown keep the carried edit.
    /// </summary>
    private async Task ReadFormAsync()
    {
        var form = Request.Form;
        var account = Api.GetAccountAsync(AccountId, HttpContext.RequestAborted);
        var mappings = Api.ListVerticalMappingsAsync(HttpContext.RequestAborted);
        await Task.WhenAll(account, mappings);
        Brand = (await account).Data.Brand;
        Categories = PartnerControls.CategoriesOf((await mappings).Data);
        Query = Clean(form["q"]);

        var baseState = PartnerControls.ParseState(form["base_state"]);
        if (baseState is null)
        {
            // A form without its base (altered, or from an older page): start from the current controls.
            var current = await Api.GetMarketplaceControlsAsync(AccountId, HttpContext.RequestAborted);
            Rebase(current.Data);
        }
        else
        {
            Base = baseState;
            BaseHash = form["base_hash"].ToString();
        }
        var carried = ControlsEdit.Parse(form["edit"]).ApplyTo(Base);

        var pairs = carried.BlockedVerticals.ToDictionary(b => new PartnerPair(b.PartnerVerticalId, b.PartnerSubVerticalId));
        foreach (var shown in form["shown"])
        {
            if (!TryPair(shown, out var pair)) continue;
            var choice = form[FieldOf(pair)].ToString();
            switch (choice)
            {
                case "Block": pairs[pair] = new Core.Controls.BlockedVertical(pair.VerticalId, pair.SubVerticalId, CorePolicy.Block, CorePolicy.Block); break;
                case "Allow": pairs[pair] = new Core.Controls.BlockedVertical(pair.VerticalId, pair.SubVerticalId, CorePolicy.Allow, CorePolicy.Allow); break;
                case "AllowBlock1": pairs[pair] = new Core.Controls.BlockedVertical(pair.VerticalId, pair.SubVerticalId, CorePolicy.Allow, CorePolicy.Block); break;
                default: pairs.Remove(pair); break;
            }
        }

        var domains = carried.Domains.ToDictionary(d => d.Domain, d => d.Policy, StringComparer.Ordinal);
        var listed = form["domain"];
        for (var i = 0; i < listed.Count; i++)
        {
            var domain = listed[i] ?? "";
            switch (form[$"domain_policy_{i}"].ToString())
            {
                case "Block": domains[domain] = CorePolicy.Block; break;
                case "Allow": domains[domain] = CorePolicy.Allow; break;
                case "Remove": domains.Remove(domain); break;
            }
        }
        var added = form["new_domain"].ToString().Trim();
        if (added.Length > 0)
        {
            // Stored as the service will store it, so the edit names the same domain the next GET shows; a name the
            // normaliser refuses goes as typed, and the dry-run's 400 names the field.
            var domain = DomainNormalizer.TryNormalize(added, out var normalized, out _) ? normalized : added;
            domains[domain] = form["new_domain_policy"] == "Allow" ? CorePolicy.Allow : CorePolicy.Block;
        }

        var name = form["name"].ToString();
        Desired = new MclState(name.Length > 0 ? name : carried.Name,
            pairs.OrderBy(p => p.Key).Select(p => p.Value).ToList(),
            domains.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new Core.Controls.DomainRule(d.Key, d.Value)).ToList());
        Edit = ControlsEdit.Between(Base, Desired);
    }

    /// <summary>The edit, the categories to show and a new key for this rendering.</summary>
    private void Finish()
    {
        Edit = ControlsEdit.Between(Base, Desired);
        IdempotencyKey = Guid.NewGuid().ToString();
        _byPair = Categories.GroupBy(c => c.Pair).ToDictionary(g => g.Key, g => g.First());
        var listed = Desired.BlockedVerticals.Select(b => new PartnerPair(b.PartnerVerticalId, b.PartnerSubVerticalId))
            .Concat(Base.BlockedVerticals.Select(b => new PartnerPair(b.PartnerVerticalId, b.PartnerSubVerticalId))).ToHashSet();
        IEnumerable<MappedCategory> shown;
        if (Query is { } q)
        {
            var found = Categories.Where(c => Matches(c, q)).ToList();
            MatchCount = found.Count;
            shown = found.Take(MaxShown);
        }
        else
        {
            shown = Categories.Count <= ListAllUpTo ? Categories : Categories.Where(c => listed.Contains(c.Pair));
        }
        // A listed pair the mapping table no longer has is shown too, so it can be taken off (a PUT naming it is a 400).
        var unmapped = listed.Where(p => !_byPair.ContainsKey(p)).Order().Select(p => new MappedCategory(p.VerticalId, p.SubVerticalId, null, null));
        Shown = shown.Concat(unmapped).ToList();
    }

    private static bool Matches(MappedCategory c, string q) =>
        (c.VerticalName?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
        || (c.SubVerticalName?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
        || c.PartnerSubVerticalId.ToString(System.Globalization.CultureInfo.InvariantCulture) == q
        || c.PartnerVerticalId.ToString(System.Globalization.CultureInfo.InvariantCulture) == q;

    /// <summary>The value of a pair's select in the form: "" (not listed), Block, Allow or AllowBlock1 (allowed, blocked in position 1).</summary>
    public string ChoiceOf(PartnerPair pair)
    {
        var entry = Desired.BlockedVerticals.FirstOrDefault(b => b.PartnerVerticalId == pair.VerticalId && b.PartnerSubVerticalId == pair.SubVerticalId);
        return entry switch
        {
            null => "",
            { Policy: CorePolicy.Block } => "Block",
            { Position1Policy: CorePolicy.Block } => "AllowBlock1",
            _ => "Allow",
        };
    }

    public static string FieldOf(PartnerPair pair) => $"pair_{pair.VerticalId}_{pair.SubVerticalId}";

    public static string ShownValue(PartnerPair pair) => $"{pair.VerticalId}:{pair.SubVerticalId}";

    private static bool TryPair(string? text, out PartnerPair pair)
    {
        pair = default;
        var parts = (text ?? "").Split(':');
        if (parts.Length != 2 || !long.TryParse(parts[0], out var v) || !long.TryParse(parts[1], out var s)) return false;
        pair = new PartnerPair(v, s);
        return true;
    }

    private static string? Clean(string? q) => string.IsNullOrWhiteSpace(q) ? null : q.Trim()[..Math.Min(q.Trim().Length, 100)];
}
