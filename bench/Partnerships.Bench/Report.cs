using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Bench;

/// <summary>One store, workload and request: the service against its baseline, measured alternately in one run.</summary>
public sealed record ResultRow(string Store, Workload Workload, RequestKind Request, Sample Service, Sample Baseline, double ServicePeakWorkingSetMb)
{
    public double Ratio => Baseline.Rps > 0 ? Service.Rps / Baseline.Rps : 0;

    /// <summary>PostgreSQL spread-100k only: the same load on one service process, then split over two on the same database.</summary>
    public (Sample One, Sample Two)? Processes { get; set; }
}

/// <summary>The table, the peak working sets, the two-process figure and the JSON file.</summary>
public static class Report
{
    public static void Print(TextWriter w, IReadOnlyList<ResultRow> rows, BenchOptions options)
    {
        w.WriteLine();
        w.WriteLine($"{options.Connections} connections, {options.Measured.TotalSeconds:0.##} s measured per side and request (after {options.Warmup.TotalSeconds:0.##} s warm-up), service and baseline alternated in halves; service telemetry {options.Telemetry}.");
        w.WriteLine();
        w.WriteLine("| store | workload | request | service req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | ratio | errors (service/baseline) |");
        w.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in rows)
        {
            w.WriteLine($"| {r.Store} | {r.Workload.Name} | {Label(r.Request)} | {r.Service.Rps:F0} | {r.Service.P50:F1} | {r.Service.P99:F1} | {r.Baseline.Rps:F0} | {r.Baseline.P99:F1} | {r.Ratio:F2} | {Errors(r.Service)}/{Errors(r.Baseline)} |");
        }

        w.WriteLine();
        w.WriteLine("| store | workload | service peak working set MB |");
        w.WriteLine("|---|---|---:|");
        foreach (var g in rows.GroupBy(r => (r.Store, r.Workload.Name)))
        {
            w.WriteLine($"| {g.Key.Store} | {g.Key.Name} | {g.Max(r => r.ServicePeakWorkingSetMb):F0} |");
        }

        var wide = rows.Where(r => r.Workload.Wide).ToList();
        if (wide.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("| store | wide GET | compressed responses | bytes sent | bytes decoded |");
            w.WriteLine("|---|---|---:|---:|---:|");
            foreach (var r in wide)
            {
                w.WriteLine($"| {r.Store} | service | {Share(r.Service)} | {r.Service.AverageWireBytes:F0} | {r.Service.AverageDecodedBytes:F0} |");
                w.WriteLine($"| {r.Store} | baseline | {Share(r.Baseline)} | {r.Baseline.AverageWireBytes:F0} | {r.Baseline.AverageDecodedBytes:F0} |");
            }
        }

        var scaled = rows.Where(r => r.Processes is not null).ToList();
        if (scaled.Count > 0)
        {
            w.WriteLine();
            w.WriteLine("| store | workload | request | one process req/s | two processes req/s | two/one |");
            w.WriteLine("|---|---|---|---:|---:|---:|");
            foreach (var r in scaled)
            {
                var (one, two) = r.Processes!.Value;
                w.WriteLine($"| {r.Store} | {r.Workload.Name} | {Label(r.Request)} | {one.Rps:F0} | {two.Rps:F0} | {Ratio(two, one):F2} |");
            }
        }

        foreach (var r in rows)
        {
            foreach (var (side, sample) in new[] { ("service", r.Service), ("baseline", r.Baseline) })
            {
                if (sample.FirstError is { } error) w.WriteLine($"{r.Store} {r.Workload.Name} {Label(r.Request)} {side}: first error: {error}");
            }
        }
    }

    public static async Task WriteJsonAsync(string path, IReadOnlyList<ResultRow> rows)
    {
        var entries = rows.Select(r => new JsonRow
        {
            Store = r.Store, Workload = r.Workload.Name, Request = r.Request == RequestKind.Get ? "get" : "put",
            ServiceRps = Round(r.Service.Rps), BaselineRps = Round(r.Baseline.Rps), Ratio = Math.Round(r.Ratio, 3),
            ServiceP50Ms = Round(r.Service.P50), ServiceP99Ms = Round(r.Service.P99), BaselineP50Ms = Round(r.Baseline.P50), BaselineP99Ms = Round(r.Baseline.P99),
            ServicePeakWorkingSetMb = Round(r.ServicePeakWorkingSetMb), ServiceErrors = r.Service.Errors, BaselineErrors = r.Baseline.Errors,
            Compressed = r.Workload.Wide ? r.Service.Requests > 0 && r.Service.Compressed == r.Service.Requests : null,
            ServiceResponseBytes = r.Workload.Wide ? Round(r.Service.AverageWireBytes) : null,
            BaselineResponseBytes = r.Workload.Wide ? Round(r.Baseline.AverageWireBytes) : null,
            OneProcessRps = r.Processes is { } p1 ? Round(p1.One.Rps) : null,
            TwoProcessesRps = r.Processes is { } p2 ? Round(p2.Two.Rps) : null,
            TwoProcessesRatio = r.Processes is { } p3 ? Math.Round(Ratio(p3.Two, p3.One), 3) : null,
        }).ToList();
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(entries, Json));
    }

    private static string Label(RequestKind request) => request == RequestKind.Get ? "GET controls" : "PUT controls";

    private static string Errors(Sample s) => s.Errors == 0 ? "0"
        : string.Join(" ", s.ErrorsByStatus.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Value}×{e.Key}"));

    private static string Share(Sample s) => s.Requests == 0 ? "-" : (100.0 * s.Compressed / s.Requests).ToString("F0", CultureInfo.InvariantCulture) + "%";

    private static double Ratio(Sample a, Sample b) => b.Rps > 0 ? a.Rps / b.Rps : 0;

    private static double Round(double value) => Math.Round(value, 1);

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private sealed class JsonRow
    {
        public string Store { get; init; } = "";
        public string Workload { get; init; } = "";
        public string Request { get; init; } = "";
        public double ServiceRps { get; init; }
        public double BaselineRps { get; init; }
        public double Ratio { get; init; }
        public double ServiceP50Ms { get; init; }
        public double ServiceP99Ms { get; init; }
        public double BaselineP50Ms { get; init; }
        public double BaselineP99Ms { get; init; }
        public double ServicePeakWorkingSetMb { get; init; }
        public int ServiceErrors { get; init; }
        public int BaselineErrors { get; init; }
        public bool? Compressed { get; init; }
        public double? ServiceResponseBytes { get; init; }
        public double? BaselineResponseBytes { get; init; }
        public double? OneProcessRps { get; init; }
        public double? TwoProcessesRps { get; init; }
        public double? TwoProcessesRatio { get; init; }
    }
}
