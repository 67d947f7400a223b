using System.Text.RegularExpressions;
using Dapper;
using MimeKit;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// Nothing a partner sends adds a line or a header to an e-mail: the rendered message has exactly its template's lines,
/// for a legitimate brand and for a stored value that slipped past validation (written here with direct SQL).
/// </summary>
public abstract partial class EmailTextTests(StoreKind kind) : IAsyncLifetime
{
    private readonly string _pickup = Directory.CreateTempSubdirectory("partnerships-pickup-").FullName;
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?>
    {
        ["Email:PickupDirectory"] = _pickup,
        ["Email:OperatorAddress"] = "operators@network.example",
        ["Outbox:PollMilliseconds"] = "50",
    });

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        try { Directory.Delete(_pickup, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_emails_of_a_registration_have_exactly_their_templates_lines()
    {
        using var client = await _server.DemoClientAsync();
        var accountId = await client.RegisterAsync(_server.DemoOne.PlatformParentAccountId);
        var welcome = await WaitForAsync("Welcome to the network, Acme Outdoor");
        AssertFollowsTemplate(welcome, "merchant-welcome");
        Assert.Contains(accountId, welcome.TextBody);
        AssertFollowsTemplate(await WaitForAsync("New merchant registered: Acme Outdoor"), "operator-registration");
    }

    [Fact]
    public async Task A_stored_brand_with_line_breaks_renders_on_one_line_and_adds_no_header()
    {
        using var client = await _server.DemoClientAsync();
        var accountId = await client.RegisterAsync(_server.DemoOne.PlatformParentAccountId);
        await using (var connection = await _server.Database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE accounts SET brand = @brand WHERE id = @accountId",
                new { brand = "Acme\r\nBcc: victim@example.com\r\n\r\nInjected body\u0085line\u2028end", accountId });
        }
        var status = await client.PutJsonAsync($"/v1/partnership/accounts/{accountId}/status", new { status = "paused" }, Http.NewKey());
        Assert.Equal(200, status.Status);

        var message = await WaitForAsync("Your placements are now paused");
        AssertFollowsTemplate(message, "merchant-status");
        Assert.Empty(message.Bcc);
        Assert.DoesNotContain(message.Headers, h => h.Field.Equals("Bcc", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Hello Acme Bcc: victim@example.com Injected body line end,", message.TextBody);
    }

    /// <summary>The body has as many lines as the template's, and each is its template line with the placeholders filled on that line.</summary>
    private static void AssertFollowsTemplate(MimeMessage message, string template)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Templates", "Email", template + ".txt")).Replace("\r\n", "\n");
        var separator = text.IndexOf("\n---\n", StringComparison.Ordinal);
        var subject = new Regex("^" + Fill(text[9..separator].Trim()) + "$");
        var subjectLine = message.Subject ?? "";
        Assert.Matches(subject, subjectLine);
        Assert.DoesNotContain('\n', subjectLine);

        var expected = text[(separator + 5)..].Split('\n');
        var actual = (message.TextBody ?? "").Replace("\r\n", "\n").Split('\n');
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Matches(new Regex("^" + Fill(expected[i]) + "$"), actual[i]);
        }
    }

    /// <summary>A template line as a pattern: literal text, each placeholder any text without a line break or control character.</summary>
    private static string Fill(string line) => string.Join(@"[^\p{Cc}\u2028\u2029]*", Placeholder().Split(line).Where((_, i) => i % 2 == 0).Select(Regex.Escape));

    [GeneratedRegex(@"\{\{\s*([A-Za-z0-9_]+)\s*\}\}")]
    private static partial Regex Placeholder();

    private async Task<MimeMessage> WaitForAsync(string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var file in Directory.GetFiles(_pickup, "*.eml"))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.Subject == subject) return message;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no e-mail with subject '{subject}' in {_pickup}");
    }
}

public sealed class SqliteEmailTextTests() : EmailTextTests(StoreKind.Sqlite);
public sealed class PostgresEmailTextTests() : EmailTextTests(StoreKind.Postgres);
