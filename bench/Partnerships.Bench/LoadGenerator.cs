using System.Diagnostics;
using System.IO.Compression;

namespace Partnerships.Bench;

/// <summary>What one or more timed runs of a request measured.</summary>
public sealed class Sample
{
    private readonly List<double> _latencies = [];
    private readonly Dictionary<string, int> _errors = [];

    public long Requests { get; private set; }
    public TimeSpan Elapsed { get; private set; }
    public long Compressed { get; private set; }
    public long WireBytes { get; private set; }
    public long DecodedBytes { get; private set; }
    public string? FirstError { get; private set; }

    public int Errors => _errors.Values.Sum();
    public IReadOnlyDictionary<string, int> ErrorsByStatus => _errors;
    public double Rps => Elapsed > TimeSpan.Zero ? Requests / Elapsed.TotalSeconds : 0;
    public double P50 => Percentile(0.50);
    public double P99 => Percentile(0.99);
    public double AverageDecodedBytes => Requests == 0 ? 0 : (double)DecodedBytes / Requests;
    public double AverageWireBytes => Requests == 0 ? 0 : (double)WireBytes / Requests;

    public void Add(Sample other)
    {
        _latencies.AddRange(other._latencies);
        foreach (var (status, n) in other._errors) _errors[status] = _errors.GetValueOrDefault(status) + n;
        Requests += other.Requests;
        Elapsed += other.Elapsed;
        Compressed += other.Compressed;
        WireBytes += other.WireBytes;
        DecodedBytes += other.DecodedBytes;
        FirstError ??= other.FirstError;
    }

    internal void Record(double milliseconds, int? status, bool compressed, long wire, long decoded, string? error)
    {
        _latencies.Add(milliseconds);
        Requests++;
        if (compressed) Compressed++;
        WireBytes += wire;
        DecodedBytes += decoded;
        if (error is not null)
        {
            var key = status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "exception";
            _errors[key] = _errors.GetValueOrDefault(key) + 1;
            FirstError ??= error;
        }
    }

    internal void Finish(TimeSpan elapsed)
    {
        Elapsed = elapsed;
    }

    private double Percentile(double p)
    {
        if (_latencies.Count == 0) return 0;
        var sorted = _latencies.Order().ToArray();
        return sorted[(int)Math.Min(sorted.Length - 1, Math.Max(0, Math.Ceiling(sorted.Length * p) - 1))];
    }
}

/// <summary>Closed-loop load: each connection sends its next request as soon as the previous answer has been read.</summary>
public static class LoadGenerator
{
    /// <summary>One HTTP client per target, each with its own pool of keep-alive connections.</summary>
    public static HttpClient Client(Uri baseAddress, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        // Left to the bench: the response is read as sent, so its Content-Encoding shows whether it was compressed.
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>
    /// Runs <paramref name="connections"/> loops spread over <paramref name="clients"/> (connection i uses client i mod n)
    /// for <paramref name="duration"/>; <paramref name="make"/> builds request number n.
    /// </summary>
    public static async Task<Sample> RunAsync(IReadOnlyList<HttpClient> clients, int connections, TimeSpan duration, Func<long, HttpRequestMessage> make)
    {
        long sequence = 0;
        var perConnection = Enumerable.Range(0, connections).Select(_ => new Sample()).ToArray();
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
        {
            var client = clients[c % clients.Count];
            var sample = perConnection[c];
            while (stopwatch.Elapsed < duration)
            {
                using var request = make(Interlocked.Increment(ref sequence));
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var compressed = response.Content.Headers.ContentEncoding.Contains("gzip");
                    var decoded = compressed ? Gunzip(body) : body;
                    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    var error = response.IsSuccessStatusCode ? null
                        : $"{request.Method} {request.RequestUri} → {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(decoded, 0, Math.Min(decoded.Length, 400))}";
                    sample.Record(elapsed, (int)response.StatusCode, compressed, body.Length, decoded.Length, error);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
                {
                    sample.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, false, 0, 0, $"{request.Method} {request.RequestUri}: {e.Message}");
                }
            }
        })));
        var total = new Sample();
        foreach (var sample in perConnection) total.Add(sample);
        total.Finish(stopwatch.Elapsed);
        return total;
    }

    private static byte[] Gunzip(byte[] body)
    {
        using var input = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream(body.Length * 8);
        input.CopyTo(output);
        return output.ToArray();
    }
}
