using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.WebConsole.Pages.Operator;

/// <summary>The audit log, newest first, filtered by platform, account, action, actor, request id, outcome and time (UTC).</summary>
public sealed class AuditModel(PlatformAdmin platforms, AuditAdmin audit) : OperatorPageModel
{
    [FromQuery(Name = "platform")] public string? PlatformFilter { get; set; }
    [FromQuery(Name = "action")] public string? ActionFilter { get; set; }
    [FromQuery(Name = "actor")] public string? ActorFilter { get; set; }
    [FromQuery(Name = "account")] public string? AccountFilter { get; set; }
    [FromQuery(Name = "request")] public string? RequestFilter { get; set; }
    [FromQuery(Name = "outcome")] public string? OutcomeFilter { get; set; }
    [FromQuery(Name = "from")] public string? From { get; set; }
    [FromQuery(Name = "to")] public string? To { get; set; }
    [FromQuery(Name = "before")] public long? Before { get; set; }
    public IReadOnlyList<PlatformView> Platforms { get; private set; } = [];
    public IReadOnlyList<AuditEntryView> Entries { get; private set; } = [];
    public bool HasOlder { get; private set; }
    public List<string> FilterIssues { get; } = [];

    public async Task OnGetAsync()
    {
        Platforms = await platforms.ListAsync();
        var outcome = Blank(OutcomeFilter);
        if (outcome is not null && !AuditOutcomes.All.Contains(outcome))
        {
            FilterIssues.Add($"outcome: '{outcome}' is not one of {string.Join(", ", AuditOutcomes.All)}");
            outcome = null;
        }
        var page = await audit.QueryAsync(new AuditQuery(Blank(AccountFilter), Blank(PlatformFilter), Blank(RequestFilter), null,
            Time(From, "from"), Time(To, "to"), null, PageSize + 1, Blank(ActorFilter), null, outcome, Blank(ActionFilter), Before, NewestFirst: true));
        HasOlder = page.Count > PageSize;
        Entries = page.Take(PageSize).ToList();
    }

    public string NewestLink() => QueryString();

    public string OlderLink() => QueryString(("before", Entries[^1].Id.ToString(CultureInfo.InvariantCulture)));

    private string QueryString(params (string Key, string Value)[] extra)
    {
        var q = new List<KeyValuePair<string, string?>>();
        void Add(string k, string? v) { if (!string.IsNullOrWhiteSpace(v)) q.Add(new(k, v)); }
        Add("platform", PlatformFilter); Add("account", AccountFilter); Add("action", ActionFilter); Add("actor", ActorFilter);
        Add("request", RequestFilter); Add("outcome", OutcomeFilter); Add("from", From); Add("to", To);
        foreach (var (k, v) in extra) Add(k, v);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Request.Path, q);
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>A datetime-local field (UTC) or an ISO 8601 time, as the store's timestamp text.</summary>
    private string? Time(string? text, string field)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            return Database.Timestamp(at);
        }
        FilterIssues.Add($"{field}: '{text}' is not a time (use 2026-12-02T08:00)");
        return null;
    }
}
