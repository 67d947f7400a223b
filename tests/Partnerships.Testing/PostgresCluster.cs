using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;

namespace Partnerships.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for tests and benchmarks: <c>initdb</c> into a fresh temp folder
/// (<c>partnerships-pg-*</c>), started on a free 127.0.0.1 port, stopped and deleted on dispose.
/// Missing server binaries are an error that says to run <c>scripts/test</c>, never a silent skip.
/// When the environment variable <c>PARTNERSHIPS_TEST_PG</c> holds a connection string, that existing server is
/// used instead: nothing is started or stopped, databases are still created (and dropped again on dispose).
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root, so under root the binaries run as the <c>postgres</c> OS user
/// (or a system user <c>partnerships-pg</c>, created when neither exists) through runuser, setpriv or su.
/// A test process that is killed cannot stop its cluster; every cluster folder records its owner process, and the
/// next <see cref="StartAsync"/> on the machine stops and deletes clusters whose owner is gone.
/// </remarks>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Environment variable naming an existing server to use instead of a throwaway cluster.</summary>
    public const string ExternalServerVariable = "PARTNERSHIPS_TEST_PG";

    private const string DirectoryPrefix = "partnerships-pg-";
    private const string OwnerFileName = "owner";
    private const string DedicatedOsUser = "partnerships-pg";
    private const string Hint =
        "Run scripts/test, which installs Debian's postgresql package when it is missing, or set PG_BIN to the folder holding initdb and pg_ctl.";

    private static readonly Lazy<Task<PostgresCluster>> Shared = new(() => StartAsync(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Tools? _tools;
    private readonly string? _root;
    private readonly List<string> _externalDatabases = [];
    private int _disposed;

    private string _serverOptions = "";

    private PostgresCluster(string adminConnectionString, int port, Tools? tools, string? root)
    {
        AdminConnectionString = adminConnectionString;
        Port = port;
        _tools = tools;
        _root = root;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    /// <summary>Superuser connection string to the <c>postgres</c> database (no pooling).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The TCP port the server listens on (127.0.0.1).</summary>
    public int Port { get; }

    private string DataDirectory => Path.Combine(_root!, "data");

    /// <summary>
    /// The process-wide cluster: started on first use, shared by every caller in the process and stopped when the
    /// process exits. A failed start is remembered, so every caller sees the same error quickly.
    /// </summary>
    public static Task<PostgresCluster> SharedAsync() => Shared.Value;

    /// <summary>Starts a new throwaway cluster (or wraps <c>PARTNERSHIPS_TEST_PG</c>). Dispose it to stop and delete it.</summary>
    public static Task<PostgresCluster> StartAsync(CancellationToken ct = default) => StartAsync(synchronousCommit: false, ct);

    /// <summary>
    /// As <see cref="StartAsync(CancellationToken)"/>; with <paramref name="synchronousCommit"/> a commit is acknowledged only
    /// once its WAL is written, so a cluster stopped with <see cref="StopAsync"/> (a crash) loses no acknowledged commit.
    /// fsync stays off unless <paramref name="durable"/> (production settings: fsync and full page writes on, as the
    /// benchmark measures): the tests survive crashed processes, not power loss.
    /// </summary>
    public static async Task<PostgresCluster> StartAsync(bool synchronousCommit, CancellationToken ct = default, bool durable = false)
    {
        if (Environment.GetEnvironmentVariable(ExternalServerVariable) is { Length: > 0 } external)
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            return new PostgresCluster(builder.ConnectionString, builder.Port, tools: null, root: null);
        }

        var tools = await Tools.FindAsync(ct);
        await StopStaleClustersAsync(tools);

        var root = Directory.CreateTempSubdirectory(DirectoryPrefix).FullName;
        var started = false;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, OwnerFileName), ProcessIdentity(Environment.ProcessId), ct);
            if (tools.OsUser is not null)
            {
                await tools.RunCheckedAsync("chown", ["-R", tools.OsUser + ":", root], TimeSpan.FromSeconds(30), ct);
            }

            var data = Path.Combine(root, "data");
            List<string> initdb = ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"];
            if (Directory.Exists("/usr/lib/locale/C.utf8"))
            {
                initdb.Add("--locale=C.UTF-8");
            }
            var (initCode, initOutput) = await tools.RunPgAsync("initdb", initdb, root, TimeSpan.FromMinutes(2), ct);
            if (initCode != 0)
            {
                throw new InvalidOperationException($"initdb failed (exit {initCode}) in {root}:\n{initOutput}");
            }

            // The port is free when picked but could be taken before postgres binds it: retry that case only.
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                var options = $"-c listen_addresses=127.0.0.1 -p {port} -k '{root}' -c fsync={(durable ? "on" : "off")} " +
                              $"-c synchronous_commit={(synchronousCommit ? "on" : "off")} -c full_page_writes={(durable ? "on" : "off")} -c max_connections=300";
                var log = Path.Combine(root, "postgres.log");
                var (code, output) = await tools.RunPgAsync(
                    "pg_ctl", ["-D", data, "-l", log, "-o", options, "-w", "-t", "60", "start"], root, TimeSpan.FromSeconds(90), ct);
                started = true; // even a failed start may have left a postmaster behind: always stop on failure
                if (code == 0)
                {
                    var admin = new NpgsqlConnectionStringBuilder
                    {
                        Host = "127.0.0.1", Port = port, Username = "postgres", Database = "postgres", Pooling = false,
                    };
                    return new PostgresCluster(admin.ConnectionString, port, tools, root) { _serverOptions = options };
                }
                var tail = Tail(log, 30);
                if (attempt < 3 && tail.Contains("Address already in use", StringComparison.Ordinal))
                {
                    continue;
                }
                throw new InvalidOperationException(
                    $"pg_ctl start failed (exit {code}) for the cluster in {root}:\n{output}\n--- last lines of {log} ---\n{tail}");
            }
        }
        catch
        {
            if (started)
            {
                await StopPostmasterAsync(tools, Path.Combine(root, "data"));
            }
            DeleteDirectory(root);
            throw;
        }
    }

    /// <summary>
    /// Creates a database (by default a uniquely named one) and returns its connection string,
    /// with <c>Pooling=true;Maximum Pool Size=100;Connection Idle Lifetime=15</c>.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        name ??= "partnerships_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(name)}", connection);
            await command.ExecuteNonQueryAsync();
        }
        if (_tools is null)
        {
            lock (_externalDatabases)
            {
                _externalDatabases.Add(name);
            }
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString)
        {
            // Idle connections are closed after 15 s, so many test databases' pools do not add up to max_connections.
            Database = name, Pooling = true, MaxPoolSize = 100, ConnectionIdleLifetime = 15,
        }.ConnectionString;
    }

    /// <summary>
    /// Stops the server abruptly (<c>pg_ctl stop -m immediate</c>: open connections break, as in a crash) and keeps its data,
    /// so <see cref="RestartAsync"/> brings the same cluster back on the same port. Only for a throwaway cluster.
    /// </summary>
    public async Task StopAsync()
    {
        var tools = OwnTools();
        var (code, output) = await tools.RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"],
            _root!, TimeSpan.FromSeconds(45), CancellationToken.None);
        if (code != 0) throw new InvalidOperationException($"pg_ctl stop failed (exit {code}):\n{output}");
    }

    /// <summary>Starts the cluster stopped by <see cref="StopAsync"/> again, same port and settings; returns once it accepts connections.</summary>
    public async Task RestartAsync()
    {
        var tools = OwnTools();
        var log = Path.Combine(_root!, "postgres.log");
        var (code, output) = await tools.RunPgAsync("pg_ctl", ["-D", DataDirectory, "-l", log, "-o", _serverOptions, "-w", "-t", "60", "start"],
            _root!, TimeSpan.FromSeconds(90), CancellationToken.None);
        if (code != 0) throw new InvalidOperationException($"pg_ctl start failed (exit {code}):\n{output}\n{Tail(log, 30)}");
    }

    private Tools OwnTools()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _tools ?? throw new InvalidOperationException(
            $"Stopping and starting the server needs a throwaway cluster; {ExternalServerVariable} names an external server.");
    }

    /// <summary>Stops the cluster (<c>pg_ctl stop -m immediate</c>) and deletes its folder; for an external server, drops the databases made here.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (_tools is null)
        {
            await DropExternalDatabasesAsync();
            return;
        }
        await StopPostmasterAsync(_tools, DataDirectory);
        DeleteDirectory(_root!);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        try
        {
            DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // Nothing useful to do while the process exits; the next StartAsync removes what is left.
        }
    }

    private async Task DropExternalDatabasesAsync()
    {
        string[] names;
        lock (_externalDatabases)
        {
            names = [.. _externalDatabases];
        }
        foreach (var name in names)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {QuoteIdentifier(name)} WITH (FORCE)", connection);
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
            {
                // Best effort: an external server keeps what could not be dropped.
            }
        }
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>Stops and deletes <c>partnerships-pg-*</c> clusters whose owning process is gone (a killed test run).</summary>
    private static async Task StopStaleClustersAsync(Tools tools)
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            try
            {
                var ownerFile = Path.Combine(dir, OwnerFileName);
                if (File.Exists(ownerFile))
                {
                    var owner = File.ReadAllText(ownerFile).Trim();
                    if (int.TryParse(owner.Split(':')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                        && ProcessIdentity(pid) == owner)
                    {
                        continue; // its test process is still running
                    }
                }
                else
                {
                    // No owner recorded: just being created, or left by an older layout of this class. Give a running
                    // postmaster longer than any test run (CI allows 90 minutes) before calling it stale.
                    var running = PostmasterPid(Path.Combine(dir, "data")) is { } pid && IsPostgres(pid);
                    if (Directory.GetLastWriteTimeUtc(dir) > DateTime.UtcNow.AddMinutes(running ? -120 : -10))
                    {
                        continue;
                    }
                }
                await StopPostmasterAsync(tools, Path.Combine(dir, "data"));
                DeleteDirectory(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another process is cleaning it up, or it is not ours to remove.
            }
        }
    }

    private static async Task StopPostmasterAsync(Tools tools, string dataDirectory)
    {
        var pid = PostmasterPid(dataDirectory);
        if (pid is null)
        {
            return;
        }
        try
        {
            await tools.RunPgAsync("pg_ctl", ["-D", dataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"],
                Path.GetTempPath(), TimeSpan.FromSeconds(45), CancellationToken.None);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or TimeoutException)
        {
            // Fall through to the kill below.
        }
        if (IsPostgres(pid.Value))
        {
            try
            {
                using var process = Process.GetProcessById(pid.Value);
                process.Kill();
                process.WaitForExit(10_000);
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private static int? PostmasterPid(string dataDirectory)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsPostgres(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                return File.ReadAllText($"/proc/{pid}/comm").Trim().StartsWith("postgres", StringComparison.Ordinal);
            }
            using var process = Process.GetProcessById(pid);
            return process.ProcessName.Contains("postgres", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>"pid:start-time" on Linux (so a reused pid does not count as the same process), or null when it is not running.</summary>
    private static string? ProcessIdentity(int pid)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                // fields[0] is the state (a killed process not yet reaped is a zombie, Z); fields[19] is starttime.
                return fields[0] is "Z" or "X" ? null : $"{pid}:{fields[19]}";
            }
            using var process = Process.GetProcessById(pid);
            return process.HasExited ? null : pid.ToString(CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static string Tail(string file, int lines)
    {
        try
        {
            return File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(lines)) : "(no log written)";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    private static void DeleteDirectory(string dir)
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3)
                {
                    return; // the next StartAsync tries again
                }
                Thread.Sleep(200);
            }
        }
    }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUserId();

    private static bool IsRoot()
    {
        if (Environment.UserName == "root")
        {
            return true;
        }
        try
        {
            return !OperatingSystem.IsWindows() && GetEffectiveUserId() == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Where the server binaries are, and how to run them (directly, or as an unprivileged user under root).</summary>
    private sealed class Tools
    {
        private readonly string _binDirectory;
        private readonly string[] _asUser; // command prefix, empty when not root

        private Tools(string binDirectory, string? osUser, string[] asUser)
        {
            _binDirectory = binDirectory;
            OsUser = osUser;
            _asUser = asUser;
        }

        public string? OsUser { get; }

        public static async Task<Tools> FindAsync(CancellationToken ct)
        {
            var bin = await FindBinDirectoryAsync(ct);
            if (!IsRoot())
            {
                return new Tools(bin, null, []);
            }
            var user = await EnsureOsUserAsync(ct);
            if (Which("runuser") is { } runuser)
            {
                return new Tools(bin, user, [runuser, "-u", user, "--"]);
            }
            if (Which("setpriv") is { } setpriv)
            {
                var (_, uid) = await RunAsync(Info("id", ["-u", user]), TimeSpan.FromSeconds(10), ct);
                var (_, gid) = await RunAsync(Info("id", ["-g", user]), TimeSpan.FromSeconds(10), ct);
                return new Tools(bin, user, [setpriv, $"--reuid={uid}", $"--regid={gid}", "--init-groups", "--"]);
            }
            if (Which("su") is { } su)
            {
                return new Tools(bin, user, [su, "-s", "/bin/sh", user, "-c", "exec \"$0\" \"$@\""]);
            }
            throw new InvalidOperationException(
                "Running as root, and initdb refuses root: found none of runuser, setpriv or su to run it as the unprivileged user " + user + ".");
        }

        private static async Task<string> FindBinDirectoryAsync(CancellationToken ct)
        {
            if (Environment.GetEnvironmentVariable("PG_BIN") is { Length: > 0 } pgBin)
            {
                return HasServer(pgBin)
                    ? pgBin
                    : throw new InvalidOperationException($"PG_BIN={pgBin} holds no initdb, pg_ctl and postgres. {Hint}");
            }
            var candidates = new List<string> { "/usr/lib/postgresql/15/bin" };
            if (Directory.Exists("/usr/lib/postgresql"))
            {
                candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                    .OrderByDescending(d => decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : -1)
                    .Select(d => Path.Combine(d, "bin")));
            }
            if (Which("pg_config") is { } pgConfig)
            {
                try
                {
                    var (code, output) = await RunAsync(Info(pgConfig, ["--bindir"]), TimeSpan.FromSeconds(10), ct);
                    if (code == 0)
                    {
                        candidates.Add(output.Trim());
                    }
                }
                catch (Exception e) when (e is Win32Exception or TimeoutException)
                {
                    // no usable pg_config
                }
            }
            return candidates.FirstOrDefault(HasServer) ?? throw new InvalidOperationException(
                "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in PG_BIN, /usr/lib/postgresql/15/bin, " +
                $"/usr/lib/postgresql/*/bin or `pg_config --bindir`. {Hint}");
        }

        private static bool HasServer(string dir) =>
            File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

        /// <summary>The OS user that runs the server under root: Debian's postgres, else a dedicated system user (created if need be).</summary>
        private static async Task<string> EnsureOsUserAsync(CancellationToken ct)
        {
            foreach (var user in new[] { "postgres", DedicatedOsUser })
            {
                if ((await RunAsync(Info("id", ["-u", user]), TimeSpan.FromSeconds(10), ct)).Code == 0)
                {
                    return user;
                }
            }
            var shell = File.Exists("/usr/sbin/nologin") ? "/usr/sbin/nologin" : "/bin/false";
            var (code, output) = await RunAsync(
                Info("useradd", ["--system", "--no-create-home", "--shell", shell, DedicatedOsUser]), TimeSpan.FromSeconds(30), ct);
            // Another process may have created it at the same moment: what counts is that it exists now.
            if (code != 0 && (await RunAsync(Info("id", ["-u", DedicatedOsUser]), TimeSpan.FromSeconds(10), ct)).Code != 0)
            {
                throw new InvalidOperationException(
                    $"Running as root, and initdb refuses root: could not create the OS user {DedicatedOsUser} (useradd exit {code}): {output}");
            }
            return DedicatedOsUser;
        }

        /// <summary>Runs a server binary (as the unprivileged user under root); returns its exit code and output.</summary>
        public Task<(int Code, string Output)> RunPgAsync(string tool, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, CancellationToken ct)
        {
            string[] command = [.. _asUser, Path.Combine(_binDirectory, tool), .. args];
            var info = Info(command[0], command[1..]);
            info.WorkingDirectory = workingDirectory; // readable by the unprivileged user
            return RunAsync(info, timeout, ct);
        }

        public async Task RunCheckedAsync(string file, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct)
        {
            var info = Info(file, args);
            var (code, output) = await RunAsync(info, timeout, ct);
            if (code != 0)
            {
                throw new InvalidOperationException($"{Describe(info)} failed (exit {code}): {output}");
            }
        }

        private static string? Which(string name)
        {
            var path = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
            return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(dir => Path.Combine(dir, name))
                .FirstOrDefault(File.Exists);
        }
    }

    private static ProcessStartInfo Info(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        return info;
    }

    private static string Describe(ProcessStartInfo info) => $"{info.FileName} {string.Join(' ', info.ArgumentList)}";

    private static async Task<(int Code, string Output)> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken ct)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Describe(info)}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // exited meanwhile
            }
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Describe(info)} did not finish within {timeout.TotalSeconds:0} s");
        }
        // A daemon that kept our pipes open must not hang us: give the output a moment, then move on.
        var output = Task.WhenAll(stdout, stderr);
        await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        var text = output.IsCompletedSuccessfully ? (stdout.Result + stderr.Result).Trim() : "(output still open)";
        return (process.ExitCode, text);
    }
}
