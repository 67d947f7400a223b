using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;

namespace Partnerships.Application.Features.Accounts;

/// <summary>
/// The query of GET /v1/partnership/accounts, as Stripe's lists take theirs: <c>limit</c>, <c>starting_after</c> (the
/// last account id of the previous page) and the filters <c>external_account_id</c> and <c>status</c>.
/// </summary>
public sealed record AccountListQuery(int Limit, string? StartingAfter, string? ExternalAccountId, string? Status)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;
    public const int MaxIdLength = 128;

    /// <summary>Every parameter the list reads. <c>dry_run</c> is accepted and ignored, as on every GET.</summary>
    public static readonly IReadOnlyList<string> Parameters = ["limit", "starting_after", "external_account_id", "status"];

    /// <summary>
    /// Strict, like the bodies (decision 6): an unknown parameter is a 400 naming it, since a misspelt filter
    /// (<c>?stauts=paused</c>) would otherwise answer every account as if it were the filtered list. Each parameter is
    /// read once; a repeat is a 400 rather than one silently winning. Every issue is listed in one 400.
    /// </summary>
    public static AccountListQuery Parse(IEnumerable<KeyValuePair<string, string?[]>> query)
    {
        var issues = new List<FieldIssue>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, sent) in query)
        {
            if (name == "dry_run") continue;
            if (!Parameters.Contains(name, StringComparer.Ordinal))
            {
                issues.Add(new FieldIssue(name, "is not a parameter of this list (it takes " + string.Join(", ", Parameters) + ")"));
            }
            else if (sent.Length != 1)
            {
                issues.Add(new FieldIssue(name, "must be sent once"));
            }
            else
            {
                values[name] = sent[0] ?? "";
            }
        }

        var limit = DefaultLimit;
        if (values.TryGetValue("limit", out var l) && !(int.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit))
        {
            issues.Add(new FieldIssue("limit", $"must be an integer from 1 to {MaxLimit}"));
        }
        var startingAfter = Id(values, "starting_after", issues);
        var external = Id(values, "external_account_id", issues);
        var status = values.GetValueOrDefault("status");
        if (status is not null && !SurfaceNames.Statuses.ContainsKey(status))
        {
            issues.Add(new FieldIssue("status", "must be one of " + string.Join(", ", SurfaceNames.Statuses.Keys.Select(k => $"\"{k}\""))));
        }
        if (issues.Count > 0) throw ApiError.BadRequest(issues);
        return new AccountListQuery(limit, startingAfter, external, status);
    }

    private static string? Id(Dictionary<string, string> values, string name, List<FieldIssue> issues)
    {
        if (!values.TryGetValue(name, out var value)) return null;
        if (value.Length == 0) issues.Add(new FieldIssue(name, "must not be empty"));
        else if (value.Length > MaxIdLength) issues.Add(new FieldIssue(name, $"must be at most {MaxIdLength} characters"));
        else return value;
        return null;
    }
}
