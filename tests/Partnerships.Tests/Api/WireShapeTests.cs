using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Api;

/// <summary>
/// The body records are the one source of each wire shape: through the real routes, the service accepts exactly the
/// record's fields (at any depth), requires exactly its [Required] ones, and refuses a value past each declared bound,
/// naming the field each time. A rule added to a record and not to its parser, or the other way round, fails here.
/// </summary>
public abstract class WireShapeTests(StoreKind kind) : IAsyncLifetime
{
    private TestServer _server = null!;
    public async Task InitializeAsync() => _server = await TestServer.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:Dispatcher"] = "false" });
    public async Task DisposeAsync() => await _server.DisposeAsync();

    private sealed record Variant(string What, JsonObject Body, string Field);

    [Fact]
    public async Task Every_body_record_field_rule_and_bound_is_what_its_route_enforces()
    {
        using var client = await _server.DemoClientAsync();
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(_server.DemoOne.PlatformParentAccountId));
        var failures = new List<string>();
        var checkedRoutes = 0;
        foreach (var write in WriteRoutes.Of(_server, _server.DemoOne.PlatformParentAccountId))
        {
            var path = write.PathFor(registration.Data);
            checkedRoutes++;
            foreach (var variant in Variants(write.BodyType, write.Example, [], ""))
            {
                var reply = await client.SendAsync(new HttpMethod(write.Method), path, variant.Body.ToJsonString(), Http.NewKey());
                if (reply.Status is < 400 or >= 500 || !reply.DetailFields.Contains(variant.Field))
                {
                    failures.Add($"{write.Method} {write.Pattern} {variant.What}: expected a 4xx naming {variant.Field}, got {reply}");
                }
                else if (reply.Status == 400 && FieldMessage(reply) is { } expected && reply.Json.GetProperty("message").GetString() != expected)
                {
                    failures.Add($"{write.Method} {write.Pattern} {variant.What}: expected the message \"{expected}\", got {reply}");
                }
            }
        }
        Assert.True(checkedRoutes >= 6, "write routes found: " + checkedRoutes);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>
    /// What a field's 400 says as its message: the first detail's text, and how many more details there are (null for the
    /// one 400 whose message the seeds give verbatim, the unmapped vertical).
    /// </summary>
    private static string? FieldMessage(Reply reply)
    {
        if (reply.Json.GetProperty("message").GetString() == Partnerships.Core.Controls.MclTranslator.UnmappedMessage) return null;
        var details = reply.Json.GetProperty("details").EnumerateArray()
            .Select(d => new Partnerships.Core.Errors.FieldIssue(d.GetProperty("field").GetString()!, d.GetProperty("issue").GetString()!)).ToList();
        var more = details.Count - 1;
        return details[0].Text() + (more switch { 0 => "", 1 => " (and 1 more issue)", _ => $" (and {more} more issues)" });
    }

    [Fact]
    public async Task Every_partner_routes_bad_field_400_has_the_first_issue_as_its_message_and_counts_the_rest()
    {
        using var client = await _server.DemoClientAsync();
        var platformId = _server.DemoOne.PlatformParentAccountId;
        var registration = await client.PostJsonAsync("/v1/accounts/register/partnership", Http.Registration(platformId));
        var failures = new List<string>();
        void Check(string what, Reply reply, string? exactly = null)
        {
            var message = reply.Json.GetProperty("message").GetString();
            if (reply.Status != 400 || message != (exactly ?? FieldMessage(reply)) || exactly is null && !message!.EndsWith(" (and 1 more issue)", StringComparison.Ordinal))
            {
                failures.Add($"{what}: {reply}");
            }
        }
        foreach (var write in WriteRoutes.Of(_server, platformId))
        {
            var path = write.PathFor(registration.Data);
            var twoUnknown = JsonNode.Parse(write.Example.ToJsonString())!.AsObject();
            twoUnknown["unexpected_one"] = 1;
            twoUnknown["unexpected_two"] = 2;
            Check($"{write.Method} {write.Pattern} with two unknown fields",
                await client.SendAsync(new HttpMethod(write.Method), path, twoUnknown.ToJsonString(), Http.NewKey()));
            var badKey = await client.SendAsync(new HttpMethod(write.Method), path, write.Example.ToJsonString(), "not-a-uuid");
            Check($"{write.Method} {write.Pattern} with a bad Idempotency-Key", badKey, "Idempotency-Key: must be a UUID");
        }
        Check("GET /v1/partnership/accounts with two bad parameters", await client.GetJsonAsync("/v1/partnership/accounts?limit=0&status=gone"));

        // The published example, exactly; a personal value is named by its field, never echoed.
        var url = Http.Registration(platformId);
        url["store_identifier"] = "https://acme";
        Check("registration with a bare host", await client.PostJsonAsync("/v1/accounts/register/partnership", url), "store_identifier https://acme is not a valid URL");
        var email = Http.Registration(platformId);
        email["contact_email"] = "owner@@acme-outdoor.example.com";
        var refused = await client.PostJsonAsync("/v1/accounts/register/partnership", email);
        Check("registration with a bad e-mail", refused, "contact_email is not a valid e-mail address");
        Assert.DoesNotContain("owner@", refused.Body);
        var unknownEmail = await client.PostJsonAsync("/v1/accounts/register/partnership",
            new Dictionary<string, object?>(Http.Registration(platformId)) { ["owner@acme-outdoor.example.com"] = "+14155550100" });
        Check("registration with an e-mail as a field name", unknownEmail, "(an e-mail address): unknown field");
        Assert.DoesNotContain("owner@", unknownEmail.Body);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>For one record (at <paramref name="prefix"/> inside the body): an unknown field, each required field left out, each bound crossed.</summary>
    private static IEnumerable<Variant> Variants(Type record, JsonObject root, IReadOnlyList<string> at, string prefix)
    {
        var node = At(root, at);
        yield return Mutated(root, at, n => n["unexpected_field"] = 1, "an unknown field", prefix + "unexpected_field");
        foreach (var property in record.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;
            var field = prefix + name;
            if (property.GetCustomAttribute<RequiredAttribute>() is not null)
            {
                yield return Mutated(root, at, n => n.Remove(name), "without " + name, field);
            }
            if (property.GetCustomAttribute<StringLengthAttribute>() is { } length)
            {
                yield return Mutated(root, at, n => n[name] = new string('a', length.MaximumLength + 1), $"{name} of {length.MaximumLength + 1} characters", field);
            }
            // Bounds at the edge of a long (a positive id's open top) have nothing past them to send.
            if (property.GetCustomAttribute<RangeAttribute>() is { } range)
            {
                var (min, max) = (Convert.ToDouble(range.Minimum), Convert.ToDouble(range.Maximum));
                if (min > long.MinValue) yield return Mutated(root, at, n => n[name] = (long)min - 1, $"{name} below {min}", field);
                if (max < long.MaxValue) yield return Mutated(root, at, n => n[name] = (long)max + 1, $"{name} above {max}", field);
            }
            if (ItemRecord(property.PropertyType) is { } item && node[name] is JsonArray { Count: > 0 } array && array[0] is JsonObject)
            {
                foreach (var nested in Variants(item, root, [.. at, name], $"{field}[0]."))
                {
                    yield return nested;
                }
            }
        }
    }

    /// <summary>A copy of the body with one change made to the object at <paramref name="at"/>.</summary>
    private static Variant Mutated(JsonObject root, IReadOnlyList<string> at, Action<JsonObject> change, string what, string field)
    {
        var copy = JsonNode.Parse(root.ToJsonString())!.AsObject();
        change(At(copy, at));
        return new Variant(what, copy, field);
    }

    /// <summary>The object reached from <paramref name="root"/> through the first item of each named array.</summary>
    private static JsonObject At(JsonObject root, IReadOnlyList<string> arrays) =>
        arrays.Aggregate(root, (node, name) => node[name]!.AsArray()[0]!.AsObject());

    private static Type? ItemRecord(Type type)
    {
        var item = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) ? type.GetGenericArguments()[0] : null;
        return item is not null && item.GetProperties().Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null) ? item : null;
    }
}

public sealed class SqliteWireShapeTests() : WireShapeTests(StoreKind.Sqlite);
public sealed class PostgresWireShapeTests() : WireShapeTests(StoreKind.Postgres);
