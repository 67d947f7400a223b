using System.Text;
using Partnerships.Application.Features.Controls;
using Partnerships.Core.Controls;

namespace Partnerships.Bench;

public enum RequestKind { Get, Put }

/// <summary>
/// A workload: which accounts its connections address, in a store holding how many, and which requests it sends.
/// <paramref name="Accounts"/> is how many distinct accounts the requests go round; <paramref name="Wide"/> reads one
/// account with 500 blocked pairs on a platform with 1,000 mapping rows, with <c>Accept-Encoding: gzip</c>.
/// </summary>
public sealed record Workload(string Name, int StoreAccounts, int Accounts, IReadOnlyList<RequestKind> Requests, bool Wide = false)
{
    public override string ToString() => Name;
}

public static class Workloads
{
    public const int SmallStore = 1_000, LargeStore = 100_000;

    public static readonly Workload Hot = new("hot", SmallStore, 1, [RequestKind.Get, RequestKind.Put]);
    public static readonly Workload Spread1k = new("spread-1k", SmallStore, 1_000, [RequestKind.Get, RequestKind.Put]);
    public static readonly Workload Wide = new("wide", SmallStore, 1, [RequestKind.Get], Wide: true);
    public static readonly Workload Spread100k = new("spread-100k", LargeStore, 1_000, [RequestKind.Get, RequestKind.Put]);

    /// <summary>In the order they run: the small store's workloads first, then the store grown to 100,000 accounts.</summary>
    public static readonly IReadOnlyList<Workload> All = [Hot, Spread1k, Wide, Spread100k];
}

/// <summary>The requests a workload sends, to the service and to the baseline.</summary>
public static class BenchRequests
{
    public const int WideBlockedPairs = 500;

    public static string ControlsPath(string accountId) => $"/v1/partnership/accounts/{accountId}/marketplacecontrolslists";

    /// <summary>
    /// The service's request number <paramref name="n"/>. A PUT names the list after n, so every PUT changes the state
    /// (the whole write: event, outbox, audit), and carries a fresh Idempotency-Key and no If-Match, so PUTs on one
    /// account never conflict.
    /// </summary>
    public static HttpRequestMessage Service(RequestKind kind, bool wide, string accountId, long n)
    {
        var request = new HttpRequestMessage(kind == RequestKind.Get ? HttpMethod.Get : HttpMethod.Put, ControlsPath(accountId));
        if (wide) request.Headers.AcceptEncoding.ParseAdd("gzip");
        if (kind == RequestKind.Put)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            request.Content = Json(PartnerBody.Replace(NameMark, "Bench " + n, StringComparison.Ordinal));
        }
        return request;
    }

    /// <summary>The baseline's request number <paramref name="n"/>: the same read, or the same state in its stored form.</summary>
    public static HttpRequestMessage Baseline(RequestKind kind, bool wide, string accountId, long n)
    {
        if (wide)
        {
            var read = new HttpRequestMessage(HttpMethod.Get, $"/wide/{accountId}");
            read.Headers.AcceptEncoding.ParseAdd("gzip");
            return read;
        }
        var request = new HttpRequestMessage(kind == RequestKind.Get ? HttpMethod.Get : HttpMethod.Put, $"/controls/{accountId}");
        if (kind == RequestKind.Put) request.Content = Json(StoredBody.Replace(NameMark, "Bench " + n, StringComparison.Ordinal));
        return request;
    }

    /// <summary>The PUT body blocking the given partner pairs.</summary>
    public static string BlockingBody(string name, IEnumerable<(long Vertical, long SubVertical)> pairs) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            name,
            blockedVerticals = pairs.Select(p => new { partnerVerticalId = p.Vertical, partnerSubVerticalId = p.SubVertical, policy = "Block" }),
            domains = Array.Empty<object>(),
        });

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private const string NameMark = "{{name}}";

    private static readonly string PartnerBody = BlockingBody(NameMark, [(StoreLoader.VerticalId, StoreLoader.SubVerticalId)]);

    private static readonly string StoredBody = ControlsState.ToJson(new MclState(NameMark,
        [new BlockedVertical(StoreLoader.VerticalId, StoreLoader.SubVerticalId, Policy.Block, Policy.Block)], []));
}
