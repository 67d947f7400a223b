namespace Partnerships.Tests.Infrastructure;

/// <summary>Finds a project's built entry assembly (same configuration as the tests), to run it as its own process.</summary>
public static class BuiltAssemblies
{
    public static string Find(string project, string assembly)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Partnerships.sln"))) dir = dir.Parent;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(dir!.FullName, "src", project, "bin", configuration, "net10.0", assembly);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{project} is not built", path);
    }
}
