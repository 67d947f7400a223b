using System.Diagnostics;

namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// Reads a file through a child process. Opening and closing a live SQLite database's files inside the server's own
/// process releases the POSIX locks SQLite holds on them (closing any descriptor of a file drops every lock the process
/// has on it), which breaks its locking and fails the server's next statements with "disk I/O error"; another
/// process's reads leave those locks alone.
/// </summary>
public static class OutOfProcessFile
{
    public static byte[] ReadAllBytes(string path)
    {
        var info = new ProcessStartInfo("cat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--");
        info.ArgumentList.Add(path);
        using var process = Process.Start(info)!;
        using var bytes = new MemoryStream();
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.BaseStream.CopyTo(bytes);
        process.WaitForExit();
        if (process.ExitCode != 0) throw new IOException($"cat {path}: {errors.Result}");
        return bytes.ToArray();
    }
}
