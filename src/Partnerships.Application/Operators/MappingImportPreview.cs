using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Partnerships.Application.ReferenceData;
using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>
/// A mapping CSV previewed line by line before anything is written, with the admin upload's own parser
/// (<see cref="MappingImport.ReadCsv"/>) and checks (<see cref="MappingImport.Validate"/>); then the accepted lines
/// committed through <see cref="MappingAdmin.LoadAsync"/> (atomic and audited as <c>mappings.load</c>), only if they are
/// still exactly the previewed ones.
/// </summary>
public sealed class MappingImportPreview(Database db, TimeProvider clock, MappingAdmin mappings, NetworkTaxonomyCache taxonomy)
{
    public async Task<MappingPreviewView> PreviewAsync(string platformId, string csv) => (await CheckAsync(platformId, csv)).View;

    /// <summary>Loads the accepted lines of <paramref name="csv"/>, refusing (409) when they are not the ones the preview named by <paramref name="digest"/>.</summary>
    public async Task<(MappingLoadView Loaded, MappingPreviewView Preview)> CommitAsync(OperatorActor actor, string platformId, string csv, string digest)
    {
        var (view, accepted) = await CheckAsync(platformId, csv);
        ApiError? refusal = null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(view.Digest), Encoding.ASCII.GetBytes(digest)))
        {
            refusal = new ApiError(409, ErrorCodes.Conflict, "The lines that would load are no longer the previewed ones (the network taxonomy or the file changed); preview again",
                [new FieldIssue("digest", "does not match the accepted lines")]);
        }
        else if (accepted.Count == 0)
        {
            refusal = ApiError.Field("csv", "no line of the file can be loaded");
        }
        if (refusal is not null)
        {
            await OperatorAudit.RecordRefusalAsync(db, clock, actor, "mappings.load", "platform:" + platformId, refusal, platformId);
            throw refusal;
        }
        return (await mappings.LoadAsync(actor, platformId, accepted), view);
    }

    private async Task<(MappingPreviewView View, IReadOnlyList<MappingInput> Accepted)> CheckAsync(string platformId, string csv)
    {
        // A header that is missing or misspelt refuses the whole file here, as the admin upload does.
        var load = MappingImport.ReadCsv(new StringReader(csv));
        IReadOnlyDictionary<long, NetworkCategory> network;
        Dictionary<(long, long), MappingRowData> current;
        await using (var s = await DbSession.ReadAsync(db))
        {
            await OperatorChecks.RequirePlatformAsync(s, platformId);
            network = await taxonomy.GetAsync(s);
            current = (await MappingStore.ListAsync(s, platformId)).ToDictionary(m => (m.PartnerVerticalId, m.PartnerSubVerticalId));
        }

        var lines = new List<MappingPreviewLine>();
        // Lines that did not parse: their issues, one line each (several columns can be wrong on one line).
        foreach (var group in load.Issues.GroupBy(i => LineOf(i.Field)))
        {
            lines.Add(new MappingPreviewLine(group.Key, "refused", null, null, null, null, null, null, string.Join("; ", group.Select(Reason))));
        }
        var accepted = new List<MappingInput>();
        var targets = new Dictionary<(long, long), (long Target, string Where)>();
        foreach (var row in load.Rows)
        {
            var pair = (row.PartnerVerticalId, row.PartnerSubVerticalId);
            string? reason = null;
            try
            {
                // One row at a time, so every refused line is named (one error carries at most ApiError.MaxDetails issues).
                MappingImport.Validate([row], network);
            }
            catch (ApiError e)
            {
                reason = string.Join("; ", e.Details.Select(d => d.Issue));
            }
            if (targets.TryGetValue(pair, out var earlier) && earlier.Target != row.NetworkSubVerticalId)
            {
                reason = Join(reason, $"the pair {{{row.PartnerVerticalId}, {row.PartnerSubVerticalId}}} already maps to {earlier.Target} at {earlier.Where} in this load");
            }
            else if (reason is null)
            {
                targets.TryAdd(pair, (row.NetworkSubVerticalId, row.Source ?? ""));
            }
            current.TryGetValue(pair, out var existing);
            var outcome = reason is not null ? "refused"
                : existing is null ? "added"
                : existing.NetworkCategoryId == row.NetworkSubVerticalId && existing.PartnerVerticalName == row.PartnerVerticalName
                    && existing.PartnerSubVerticalName == row.PartnerSubVerticalName ? "unchanged" : "changed";
            if (reason is null) accepted.Add(row);
            lines.Add(new MappingPreviewLine(LineOf(row.Source ?? ""), outcome, row.PartnerVerticalId, row.PartnerSubVerticalId, row.PartnerVerticalName,
                row.PartnerSubVerticalName, row.NetworkSubVerticalId, existing?.NetworkCategoryId, reason));
        }
        lines.Sort((a, b) => a.Line.CompareTo(b.Line));
        var view = new MappingPreviewView(platformId, lines, Count("added"), Count("changed"), Count("unchanged"), Count("refused"), Digest(accepted));
        return (view, accepted);

        int Count(string outcome) => lines.Count(l => l.Outcome == outcome);
    }

    /// <summary>Names the accepted rows exactly (ids, names, target, in file order).</summary>
    private static string Digest(IReadOnlyList<MappingInput> rows)
    {
        var text = new StringBuilder();
        foreach (var r in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.PartnerVerticalId}\u001f{r.PartnerSubVerticalId}\u001f{r.PartnerVerticalName}\u001f{r.PartnerSubVerticalName}\u001f{r.NetworkSubVerticalId}\u001e");
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private static string Reason(FieldIssue issue)
    {
        var colon = issue.Field.IndexOf(':');
        return colon < 0 ? issue.Issue : $"{issue.Field[(colon + 1)..].Trim()} {issue.Issue}";
    }

    private static string Join(string? first, string second) => first is null ? second : first + "; " + second;

    private static int LineOf(string field) =>
        field.StartsWith("line ", StringComparison.Ordinal) && int.TryParse(field[5..].Split(':')[0], CultureInfo.InvariantCulture, out var n) ? n : 0;
}
