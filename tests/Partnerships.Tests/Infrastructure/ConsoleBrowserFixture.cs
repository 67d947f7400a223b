namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// One server and one browser for a console test class: the browser starts while the server does, and both are reused
/// by every test of the class (each test begins signed out, <see cref="Browser.Reset"/>).
/// </summary>
public abstract class ConsoleBrowserFixture(StoreKind kind) : IAsyncLifetime
{
    public StoreKind Kind { get; } = kind;
    public TestServer Server { get; private set; } = null!;
    public Browser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var browser = Task.Run(() => new Browser());
        try
        {
            Server = await TestServer.StartAsync(Kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
        }
        finally
        {
            Browser = await browser;
        }
        Browser.ScreenshotsFor(Kind);
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

public sealed class SqliteConsoleBrowserFixture() : ConsoleBrowserFixture(StoreKind.Sqlite);
public sealed class PostgresConsoleBrowserFixture() : ConsoleBrowserFixture(StoreKind.Postgres);
