using System.Diagnostics;
using Partnerships.Bench;

// The partner workloads (hot, spread-1k, spread-100k, wide) through the whole service, each against a bare Kestrel
// baseline on the same store and data, both as their own processes. See bench/README.md.
if (args.Length > 0 && args[0] == BaselineApp.Verb) return await BaselineApp.RunAsync(args[1..]);
return await BenchOptions.Command(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(BenchOptions options)
{
    var stopwatch = Stopwatch.StartNew();
    // A measured run takes the stores one after the other, so they do not share the machine. --quick measures nothing
    // worth comparing, so it runs them side by side to stay short.
    var perStore = options.Quick
        ? await Task.WhenAll(options.Stores.Select(kind => RunStoreAsync(options, kind)))
        : await Sequentially(options.Stores.Select(kind => (Func<Task<IReadOnlyList<ResultRow>>>)(() => RunStoreAsync(options, kind))));
    var rows = perStore.SelectMany(r => r).ToList();
    Report.Print(Console.Out, rows, options);
    if (options.JsonPath is { } path) await Report.WriteJsonAsync(path, rows);
    var errors = rows.Sum(r => r.Service.Errors + r.Baseline.Errors + (r.Processes is { } p ? p.One.Errors + p.Two.Errors : 0));
    Console.WriteLine();
    Console.WriteLine($"Total {stopwatch.Elapsed.TotalSeconds:F0} s" + (errors > 0 ? $"; {errors} requests failed" : ""));
    return errors > 0 ? 1 : 0;
}

static async Task<IReadOnlyList<ResultRow>> RunStoreAsync(BenchOptions options, StoreKind kind)
{
    await using var store = await BenchStore.CreateAsync(kind);
    // The wide platform gets its 1,000 mapping rows before any service process reads them.
    var mappings = await StoreLoader.FillMappingsAsync(store.Database, store.Wide.PlatformParentAccountId, 1_000);
    Console.WriteLine($"{store.Name}: store ready (wide platform: {mappings} mapping rows)");
    return await new StoreRun(options, store, Console.Out).RunAsync();
}

static async Task<IReadOnlyList<ResultRow>[]> Sequentially(IEnumerable<Func<Task<IReadOnlyList<ResultRow>>>> runs)
{
    var results = new List<IReadOnlyList<ResultRow>>();
    foreach (var run in runs) results.Add(await run());
    return [.. results];
}
