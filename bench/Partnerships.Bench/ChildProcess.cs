using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Partnerships.Testing;

namespace Partnerships.Bench;

/// <summary>
/// A server the bench drives as its own OS process (the service, or the bare baseline), so both sides pay the same
/// process and HTTP costs and the service's peak working set can be read from the kernel.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;

    private ChildProcess(string name, Process process, Uri baseAddress, ConcurrentQueue<string> output)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
        _output = output;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public int Id => _process.Id;

    /// <summary>Starts <c>dotnet <paramref name="arguments"/>(its URL)</c> on a free loopback port and waits for its /healthz.</summary>
    public static async Task<ChildProcess> StartAsync(string name, Func<string, IEnumerable<string>> arguments)
    {
        var port = FreePort.Next();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        foreach (var argument in arguments($"http://127.0.0.1:{port}")) info.ArgumentList.Add(argument);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {name}");
        var output = new ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var child = new ChildProcess(name, process, new Uri($"http://127.0.0.1:{port}"), output);
        using var probe = new HttpClient { BaseAddress = child.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{name} exited ({process.ExitCode}):\n{child.Output}");
            try
            {
                if ((await probe.GetAsync("/healthz")).IsSuccessStatusCode) return child;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
            {
                await child.DisposeAsync();
                throw new TimeoutException($"{name} did not answer /healthz within 90 s:\n{child.Output}");
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The last lines the process wrote, stdout and stderr.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>
    /// Starts a new peak: the kernel's high-water mark of the resident set (VmHWM) is reset to the current size
    /// (<c>/proc/PID/clear_refs</c>, value 5). False where that is not allowed; the peak then counts from the start.
    /// </summary>
    public bool ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The peak resident set since the start or the last <see cref="ResetPeakWorkingSet"/>, in MiB.</summary>
    public double PeakWorkingSetMb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024.0;
                }
            }
        }
        catch (IOException) { }
        _process.Refresh();
        return _process.PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is null) return;
        output.Enqueue(line);
        while (output.Count > 200) output.TryDequeue(out _);
    }
}
