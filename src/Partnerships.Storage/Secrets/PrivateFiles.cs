using System.Runtime.InteropServices;

namespace Partnerships.Storage.Secrets;

/// <summary>
/// Everything the service writes is for its own user only: files 0600 in folders 0700. The process umask (077) covers
/// files created by libraries (SQLite's -wal and -shm); the explicit modes here cover what the service creates itself
/// and repair files an older version left more open.
/// </summary>
public static class PrivateFiles
{
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static int _umaskSet;

    /// <summary>Sets the process umask to 077 once (Unix only).</summary>
    public static void RestrictUmask()
    {
        if (OperatingSystem.IsWindows() || Interlocked.Exchange(ref _umaskSet, 1) == 1) return;
        _ = umask(0b000_111_111);
    }

    /// <summary>
    /// Creates a missing folder (and missing parents) 0700. With <paramref name="tighten"/>, an existing folder is set to
    /// 0700 too: only for folders that belong to the service (its data folder), never a shared parent such as /tmp.
    /// </summary>
    public static string EnsureFolder(string path, bool tighten = false)
    {
        path = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        var existed = Directory.Exists(path);
        Directory.CreateDirectory(path, FolderMode);
        // A sticky folder (/tmp) is shared by design: never narrow one, even when pointed at it.
        if (!existed || (tighten && (File.GetUnixFileMode(path) & UnixFileMode.StickyBit) == 0)) File.SetUnixFileMode(path, FolderMode);
        return path;
    }

    /// <summary>Tightens an existing file to 0600; a missing file is fine.</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        try { File.SetUnixFileMode(path, FileMode); }
        catch (FileNotFoundException) { }
        catch (DirectoryNotFoundException) { }
    }

    /// <summary>Options for a new file created 0600 from the start (no window in which it is readable by others).</summary>
    public static FileStreamOptions CreateOptions(FileMode mode = System.IO.FileMode.Create)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = FileMode;
        return options;
    }

    /// <summary>Writes a text file 0600 in a 0700 folder, atomically (temporary name, then a move that never overwrites).</summary>
    /// <returns>False when another process created the file first (its content stands).</returns>
    public static bool TryCreateText(string path, string content)
    {
        EnsureFolder(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        using (var stream = new FileStream(temp, CreateOptions(System.IO.FileMode.CreateNew)))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(content);
        }
        try
        {
            File.Move(temp, path, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temp);
            return false;
        }
    }

    // A blittable signature: DllImport needs no unsafe code or marshalling stub here.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint umask(uint mask);
#pragma warning restore SYSLIB1054
}
