using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.WebConsole;

/// <summary>An operator in a real browser (headless Chromium), on each store; every page seen is saved as a screenshot.</summary>
public abstract class OperatorConsoleBrowserTests(ConsoleBrowserFixture fixture)
{
    private TestServer Server => fixture.Server;
    private Browser Browser => fixture.Browser;

    private void SignIn()
    {
        Browser.Open(Server.BaseAddress, "/console/operator/sign-in");
        Browser.Fill("Admin key", Server.AdminKey);
        Browser.Click("Sign in");
        Browser.ShouldSee("Platforms");
    }

    [Fact]
    public void An_operator_is_refused_with_a_bad_key_signs_in_with_a_good_one_and_signs_out()
    {
        Browser.Reset(Server.BaseAddress);
        Browser.Open(Server.BaseAddress, "/console");
        Browser.ShouldSee("Choose how to sign in");
        Browser.Screenshot("console-home");

        Browser.Click("Operator");
        Browser.Fill("Admin key", "padm_mistyped");
        Browser.Click("Sign in");
        Browser.ShouldSee("That admin key is not valid");
        Browser.Screenshot("operator-sign-in-refused");

        Browser.Fill("Admin key", Server.AdminKey);
        Browser.Click("Sign in");
        Browser.ShouldSee("demo-shopfront");
        Browser.Screenshot("operator-platforms");

        Browser.Click("Sign out");
        Browser.ShouldSee("Choose how to sign in");
        Browser.Open(Server.BaseAddress, "/console/operator");
        Browser.ShouldSee("Operator sign-in");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOperatorConsoleBrowserTests(SqliteConsoleBrowserFixture fixture)
    : OperatorConsoleBrowserTests(fixture), IClassFixture<SqliteConsoleBrowserFixture>;

[Collection(PostgresCollection.Name)]
public sealed class PostgresOperatorConsoleBrowserTests(PostgresConsoleBrowserFixture fixture)
    : OperatorConsoleBrowserTests(fixture), IClassFixture<PostgresConsoleBrowserFixture>;
