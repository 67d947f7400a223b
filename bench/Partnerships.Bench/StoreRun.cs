using System.Diagnostics;
using System.Net.Http.Headers;
using Dapper;

namespace Partnerships.Bench;

/// <summary>
/// Every chosen workload on one store. The store first holds 1,000 merchants (hot, spread-1k, wide), then is grown to
/// 100,000 (spread-100k); the service and the baseline run as their own processes, restarted between the two.
/// </summary>
public sealed class StoreRun(BenchOptions options, BenchStore store, TextWriter log)
{
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _accounts = [];

    public async Task<IReadOnlyList<ResultRow>> RunAsync()
    {
        var small = options.Workloads.Where(w => w.StoreAccounts == Workloads.SmallStore).ToList();
        var large = options.Workloads.Where(w => w.StoreAccounts == Workloads.LargeStore).ToList();
        await GrowAsync(Workloads.SmallStore);
        if (small.Count > 0) await PhaseAsync(small);
        if (large.Count > 0)
        {
            await GrowAsync(Workloads.LargeStore);
            await PhaseAsync(large);
        }
        return _rows;
    }

    private async Task GrowAsync(int total)
    {
        var stopwatch = Stopwatch.StartNew();
        _accounts.AddRange(await StoreLoader.LoadAccountsAsync(store.Database, store.Shopfront.PlatformParentAccountId, _accounts.Count, total - _accounts.Count));
        store.Release();
        log.WriteLine($"{store.Name}: {_accounts.Count:N0} merchants in the store ({stopwatch.Elapsed.TotalSeconds:F1} s to load)");
    }

    private async Task PhaseAsync(IReadOnlyList<Workload> workloads)
    {
        await using var service = await StartServiceAsync("service");
        await using var baseline = await ChildProcess.StartAsync("baseline", url => [BaselineAssembly, BaselineApp.Verb, $"--urls={url}", .. store.BaselineSettings()]);
        var shopfront = new TokenSource(service.BaseAddress, store.Shopfront.ClientId, store.Shopfront.ClientSecret);
        await using var second = workloads.Any(TwoProcesses) ? await StartServiceAsync("second service") : null;
        await WarmUpAsync(workloads.First(w => !w.Wide), shopfront, service, baseline);
        foreach (var workload in workloads)
        {
            var (tokens, accounts) = workload.Wide ? await PrepareWideAsync(service) : (shopfront, Targets(workload));
            foreach (var request in workload.Requests)
            {
                var row = await MeasureAsync(workload, request, accounts, tokens, service, baseline);
                if (second is not null && TwoProcesses(workload)) row.Processes = await ScaleOutAsync(workload, request, accounts, tokens, service, second);
                _rows.Add(row);
                log.WriteLine($"{store.Name} {workload.Name} {request}: service {row.Service.Rps:F0} req/s (p99 {row.Service.P99:F1} ms), baseline {row.Baseline.Rps:F0} req/s, ratio {row.Ratio:F2}"
                    + (row.Service.Errors + row.Baseline.Errors > 0 ? $", errors {row.Service.Errors}/{row.Baseline.Errors}" : "")
                    + (row.Processes is { } p ? $"; two processes {p.Two.Rps:F0} vs one {p.One.Rps:F0} req/s" : ""));
            }
        }
    }

    private bool TwoProcesses(Workload workload) => store.Kind == StoreKind.Postgres && workload == Workloads.Spread100k;

    /// <summary>The accounts a workload's requests go round: spread evenly over the whole store.</summary>
    private IReadOnlyList<string> Targets(Workload workload)
    {
        var step = _accounts.Count / workload.Accounts;
        return Enumerable.Range(0, workload.Accounts).Select(i => _accounts[i * step]).ToList();
    }

    /// <summary>
    /// Warm-up on each side, then service half, baseline half, service half, baseline half, so that noise on the machine
    /// hits both. The service's peak working set is taken over its part.
    /// </summary>
    private async Task<ResultRow> MeasureAsync(Workload workload, RequestKind request, IReadOnlyList<string> accounts, TokenSource tokens,
        ChildProcess service, ChildProcess baseline)
    {
        using var serviceClient = LoadGenerator.Client(service.BaseAddress, options.Connections);
        using var baselineClient = LoadGenerator.Client(baseline.BaseAddress, options.Connections);
        HttpRequestMessage ToService(long n) => BenchRequests.Service(request, workload.Wide, accounts[(int)(n % accounts.Count)], n);
        HttpRequestMessage ToBaseline(long n) => BenchRequests.Baseline(request, workload.Wide, accounts[(int)(n % accounts.Count)], n);
        service.ResetPeakWorkingSet();
        serviceClient.DefaultRequestHeaders.Authorization = await tokens.HeaderAsync();
        await LoadGenerator.RunAsync([serviceClient], options.Connections, options.Warmup, ToService);
        await LoadGenerator.RunAsync([baselineClient], options.Connections, options.Warmup, ToBaseline);
        var serviceSample = new Sample();
        var baselineSample = new Sample();
        var half = options.Measured / 2;
        for (var i = 0; i < 2; i++)
        {
            serviceClient.DefaultRequestHeaders.Authorization = await tokens.HeaderAsync();
            serviceSample.Add(await LoadGenerator.RunAsync([serviceClient], options.Connections, half, ToService));
            baselineSample.Add(await LoadGenerator.RunAsync([baselineClient], options.Connections, half, ToBaseline));
        }
        return new ResultRow(store.Name, workload, request, serviceSample, baselineSample, service.PeakWorkingSetMb());
    }

    /// <summary>
    /// Fresh processes first run every request kind for a while, unmeasured: the runtime recompiles hot methods with
    /// their profile (tiered compilation) during the first seconds, and the first workload measured would pay for it alone.
    /// </summary>
    private async Task WarmUpAsync(Workload workload, TokenSource tokens, ChildProcess service, ChildProcess baseline)
    {
        var accounts = Targets(workload);
        using var serviceClient = LoadGenerator.Client(service.BaseAddress, options.Connections);
        using var baselineClient = LoadGenerator.Client(baseline.BaseAddress, options.Connections);
        foreach (var request in workload.Requests)
        {
            serviceClient.DefaultRequestHeaders.Authorization = await tokens.HeaderAsync();
            await LoadGenerator.RunAsync([serviceClient], options.Connections, options.Warmup * 2,
                n => BenchRequests.Service(request, false, accounts[(int)(n % accounts.Count)], n));
            await LoadGenerator.RunAsync([baselineClient], options.Connections, options.Warmup * 2,
                n => BenchRequests.Baseline(request, false, accounts[(int)(n % accounts.Count)], n));
        }
    }

    /// <summary>The same load on one service process, then split evenly over two processes sharing the database.</summary>
    private async Task<(Sample One, Sample Two)> ScaleOutAsync(Workload workload, RequestKind request, IReadOnlyList<string> accounts, TokenSource tokens,
        ChildProcess first, ChildProcess second)
    {
        HttpRequestMessage Make(long n) => BenchRequests.Service(request, workload.Wide, accounts[(int)(n % accounts.Count)], n);
        using var one = LoadGenerator.Client(first.BaseAddress, options.Connections);
        using var toFirst = LoadGenerator.Client(first.BaseAddress, options.Connections / 2);
        using var toSecond = LoadGenerator.Client(second.BaseAddress, options.Connections - options.Connections / 2);
        var header = await tokens.HeaderAsync();
        foreach (var client in new[] { one, toFirst, toSecond }) client.DefaultRequestHeaders.Authorization = header;
        await LoadGenerator.RunAsync([one], options.Connections, options.Warmup, Make);
        var single = await LoadGenerator.RunAsync([one], options.Connections, options.Measured, Make);
        await LoadGenerator.RunAsync([toFirst, toSecond], options.Connections, options.Warmup, Make);
        var pair = await LoadGenerator.RunAsync([toFirst, toSecond], options.Connections, options.Measured, Make);
        return (single, pair);
    }

    /// <summary>
    /// The wide platform's merchant: registered through the API, then a PUT blocking 500 of the platform's 1,000 pairs
    /// (filled up by direct SQL before the service started).
    /// </summary>
    private async Task<(TokenSource Tokens, IReadOnlyList<string> Accounts)> PrepareWideAsync(ChildProcess service)
    {
        var tokens = new TokenSource(service.BaseAddress, store.Wide.ClientId, store.Wide.ClientSecret);
        using var client = await tokens.ClientAsync();
        await using var connection = await store.Database.OpenAsync();
        var pairs = (await connection.QueryAsync<(long, long)>(
            "SELECT partner_vertical_id, partner_sub_vertical_id FROM vertical_mappings WHERE platform_id = @platformId ORDER BY partner_vertical_id, partner_sub_vertical_id",
            new { platformId = store.Wide.PlatformParentAccountId })).ToList();
        await connection.DisposeAsync();
        store.Release();
        var registered = await TokenSource.ReadAsync(await client.PostAsync("/v1/accounts/register/partnership", BenchRequests.Json(
            System.Text.Json.JsonSerializer.Serialize(new
            {
                brand = "Bench Wide", vertical_id = pairs[0].Item1, sub_vertical_id = pairs[0].Item2, country_code = "US",
                platform_parent_account_id = store.Wide.PlatformParentAccountId, store_identifier = "https://wide.bench.example",
                external_account_id = "bench-wide",
            }))), "registering the wide merchant");
        var accountId = registered.GetProperty("data").GetProperty("account_id").GetString()!;
        using var put = new HttpRequestMessage(HttpMethod.Put, BenchRequests.ControlsPath(accountId))
        {
            Content = BenchRequests.Json(BenchRequests.BlockingBody("Bench Wide", pairs.Take(BenchRequests.WideBlockedPairs))),
        };
        put.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        await TokenSource.ReadAsync(await client.SendAsync(put), "blocking the wide merchant's pairs");
        return (tokens, [accountId]);
    }

    private Task<ChildProcess> StartServiceAsync(string name) =>
        ChildProcess.StartAsync(name, url => [ServiceAssembly, $"--urls={url}", .. store.ServiceSettings(options.Telemetry)]);

    private static string BaselineAssembly => typeof(BaselineApp).Assembly.Location;

    /// <summary>The service's own build (Partnerships.Api.dll of the same configuration), not a copy in the bench's folder.</summary>
    private static string ServiceAssembly
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory);
            var configuration = here.Parent!.Name;
            var root = here;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Partnerships.sln"))) root = root.Parent;
            var path = root is null ? null : Path.Combine(root.FullName, "src", "Partnerships.Api", "bin", configuration, "net10.0", "Partnerships.Api.dll");
            return path is not null && File.Exists(path) ? path : Path.Combine(AppContext.BaseDirectory, "Partnerships.Api.dll");
        }
    }
}
