using System.Text.Json;
using Partnerships.Application.Pipeline;
using Partnerships.Application.ReferenceData;
using Partnerships.Application.SideEffects;
using Partnerships.Core.Controls;
using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Controls;

/// <summary>PUT …/marketplacecontrolslists: replaces the whole state, guarded by contentHash and If-Match.</summary>
public static class PutMarketplaceControls
{
    public static readonly WriteRoute Route = new("marketplace_controls.update", SupportsDryRun: true, RequiresIdempotencyKey: true, AccountScoped: true)
    {
        ReadsControls = true,
    };

    public static WriteHandler Handler(MappingTableCache mappings) => ctx => HandleAsync(ctx, mappings);

    public static async Task<WriteOutcome> HandleAsync(WriteContext ctx, MappingTableCache mappingTables)
    {
        var s = ctx.Session;
        var account = ctx.RequiredAccount;
        // Read after the pipeline's row lock, inside this transaction: the stamp names the table committed now, and the
        // cache reads that table again if it holds an older one, so the translation below never uses a stale table.
        // The pipeline read them with its lock (same round trip); the stamp is the platform's, read under that lock too.
        var (stored, mappingVersion) = ctx.Controls ?? await ControlsStore.GetWithMappingVersionAsync(s, account.Id, ctx.PlatformId);
        var current = stored ?? throw new InvalidOperationException($"Account {account.Id} has no controls list");
        var mappings = (await mappingTables.GetAsync(s, ctx.PlatformId, mappingVersion)).Table;
        var request = MclPutParser.Parse(ctx.Body, maxBlockedVerticals: mappings.RowCount);
        var translated = MclTranslator.Translate(request, mappings);

        if (ctx.Request.IfMatch is { } ifMatch && !IfMatchAllows(ifMatch, current.ContentHash))
        {
            throw ApiError.PreconditionFailed("If-Match does not match the current marketplace controls",
                new FieldIssue("If-Match", $"current ETag is {ControlsState.ETag(current.ContentHash)}"));
        }
        if (request.ContentHash is { } sent && sent != current.ContentHash)
        {
            throw ApiError.Conflict("contentHash does not match the current marketplace controls; re-GET, re-apply your change and retry", ErrorReasons.ContentHashStale,
                new FieldIssue("contentHash", $"current contentHash is {current.ContentHash}"));
        }

        var before = ControlsState.Of(current);
        var next = request.State;
        var changed = ContentHash.CanonicalJson(before) != ContentHash.CanonicalJson(next);
        var row = current;
        if (changed)
        {
            row = new ControlsRow
            {
                AccountId = current.AccountId, MclId = current.MclId, Name = next.Name, StateJson = ControlsState.ToJson(next),
                NetworkJson = JsonSerializer.Serialize(translated.Select(t => new
                {
                    network_sub_vertical_id = t.NetworkSubVerticalId, partner_vertical_id = t.Entry.PartnerVerticalId,
                    partner_sub_vertical_id = t.Entry.PartnerSubVerticalId, policy = t.Entry.Policy.ToString(), position_1_policy = t.Entry.Position1Policy.ToString(),
                })),
                Revision = current.Revision + 1, ContentHash = ContentHash.Compute(current.Revision + 1, next), UpdatedAt = Database.Timestamp(ctx.Now),
            };
            // Sent with the write's bookkeeping rows; under the account's lock the revision cannot have moved (if it had, the write fails whole).
            await ControlsStore.QueueUpdateAsync(s, row, current.Revision);
        }
        var controls = MarketplaceControlsView.From(row, next, mappings);
        if (changed) ctx.Emit(EventTypes.MarketplaceControlsUpdated, account.Id, controls);
        return new WriteOutcome(200, controls,
            changed ? $"controls set: {next.BlockedVerticals.Count} verticals, {next.Domains.Count} domains" : "no change")
        {
            ETag = ControlsState.ETag(row.ContentHash), HashBefore = current.ContentHash, HashAfter = row.ContentHash,
        };
    }

    /// <summary>RFC 9110 If-Match with strong comparison: "*" or any listed entity tag equal to the current one.</summary>
    private static bool IfMatchAllows(string header, string contentHash)
    {
        var current = ControlsState.ETag(contentHash);
        return header.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == current);
    }
}
