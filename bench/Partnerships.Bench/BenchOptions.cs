using System.CommandLine;

namespace Partnerships.Bench;

public enum StoreKind { Sqlite, Postgres }

/// <summary>The service's Telemetry:Tracing and Telemetry:Metrics for the run (both on in production).</summary>
public sealed record ServiceTelemetry(bool Tracing, bool Metrics)
{
    public override string ToString() => (Tracing, Metrics) switch
    {
        (true, true) => "on (traces and metrics as in production)",
        (false, false) => "off",
        (true, false) => "traces only",
        _ => "metrics only",
    };
}

/// <summary>What to run and for how long.</summary>
public sealed record BenchOptions(
    IReadOnlyList<StoreKind> Stores,
    IReadOnlyList<Workload> Workloads,
    TimeSpan Measured,
    TimeSpan Warmup,
    int Connections,
    string? JsonPath,
    bool Quick,
    ServiceTelemetry Telemetry)
{
    /// <summary>The bench's command line; its action receives the parsed options.</summary>
    public static RootCommand Command(Func<BenchOptions, Task<int>> run)
    {
        var quick = new Option<bool>("--quick") { Description = "Every workload for about a second (checks that the bench works; asserts nothing about speed)" };
        var seconds = new Option<double?>("--seconds") { Description = "Measured seconds per side (service, baseline) and request (default 8; 1 with --quick)" };
        var warmup = new Option<double?>("--warmup") { Description = "Warm-up seconds per side before measuring (default 2; 0.25 with --quick)" };
        var connections = new Option<int>("--connections") { Description = "Concurrent keep-alive connections", DefaultValueFactory = _ => 32 };
        var store = new Option<string>("--store") { Description = "sqlite | postgres | both", DefaultValueFactory = _ => "both" };
        var workload = new Option<string[]>("--workload")
        {
            Description = $"Workloads to run, any of {string.Join(", ", Bench.Workloads.All.Select(w => w.Name))} (default: all)",
            AllowMultipleArgumentsPerToken = true,
        };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this file as a JSON list" };
        var telemetry = new Option<string>("--telemetry")
        {
            Description = "on: the service traces and meters as in production (default); off: neither; traces or metrics: only that one (to measure what each costs)",
            DefaultValueFactory = _ => "on",
        };
        var root = new RootCommand("Partnerships load benchmark: the service against a bare Kestrel baseline on the same store")
        {
            quick, seconds, warmup, connections, store, workload, json, telemetry,
        };
        root.SetAction(async parse =>
        {
            BenchOptions options;
            try
            {
                options = From(parse);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            return await run(options);
        });
        return root;

        BenchOptions From(ParseResult parse)
        {
            var isQuick = parse.GetValue(quick);
            var stores = parse.GetValue(store) switch
            {
                "sqlite" => new[] { StoreKind.Sqlite },
                "postgres" => [StoreKind.Postgres],
                "both" => [StoreKind.Sqlite, StoreKind.Postgres],
                var other => throw new ArgumentException($"--store {other}: use sqlite, postgres or both"),
            };
            var traced = parse.GetValue(telemetry) switch
            {
                "on" => new ServiceTelemetry(true, true),
                "off" => new ServiceTelemetry(false, false),
                "traces" => new ServiceTelemetry(true, false),
                "metrics" => new ServiceTelemetry(false, true),
                var other => throw new ArgumentException($"--telemetry {other}: use on, off, traces or metrics"),
            };
            var names = (parse.GetValue(workload) ?? []).SelectMany(w => w.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var unknown = names.Where(n => Bench.Workloads.All.All(w => w.Name != n)).ToList();
            if (unknown.Count > 0) throw new ArgumentException($"--workload {string.Join(", ", unknown)}: unknown; use {string.Join(", ", Bench.Workloads.All.Select(w => w.Name))}");
            var picked = names.Count == 0 ? Bench.Workloads.All : Bench.Workloads.All.Where(w => names.Contains(w.Name)).ToList();
            return new BenchOptions(stores, picked,
                TimeSpan.FromSeconds(parse.GetValue(seconds) ?? (isQuick ? 1 : 8)),
                TimeSpan.FromSeconds(parse.GetValue(warmup) ?? (isQuick ? 0.25 : 2)),
                Math.Max(2, parse.GetValue(connections)), parse.GetValue(json), isQuick, traced);
        }
    }
}
