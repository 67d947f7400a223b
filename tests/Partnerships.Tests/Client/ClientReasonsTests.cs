using System.Reflection;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The client carries its own copy of the reasons (it references no server assembly); the copy must not drift.</summary>
public sealed class ClientReasonsTests
{
    private static IReadOnlyDictionary<string, string> Constants(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Every_reason_the_client_knows_is_one_the_service_gives_under_the_same_name()
    {
        var service = Constants(typeof(Partnerships.Core.Errors.ErrorReasons));
        var client = Constants(typeof(Partnerships.Client.ErrorReasons));
        Assert.NotEmpty(client);
        Assert.All(client, c => Assert.Equal(c.Value, service.GetValueOrDefault(c.Key)));
        // Every partner-facing reason reaches the client; the operator ones (admin routes) need not.
        Assert.Empty(service.Keys.Except(client.Keys).Except(["Revoked", "NameTaken"]));
    }
}
