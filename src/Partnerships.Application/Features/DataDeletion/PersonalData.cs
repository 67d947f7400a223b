using System.Text.Json;
using System.Text.Json.Nodes;
using Partnerships.Application.Pipeline;

namespace Partnerships.Application.Features.DataDeletion;

/// <summary>
/// Which of a merchant's fields are personal data (decision 19), and how a stored value is stripped of one of them.
/// Only <c>contact_email</c> is: it is a person's mailbox. <c>brand</c>, <c>store_identifier</c>,
/// <c>external_account_id</c> and <c>country_code</c> are the business's public identity and the keys the platform and
/// the network find the merchant by; erasing them would end the account, which must keep working.
/// </summary>
public static class PersonalData
{
    public const string ContactEmail = "contact_email";

    public static IReadOnlyList<string> Fields { get; } = [ContactEmail];

    /// <summary>What a mention of an erased value inside a longer text becomes.</summary>
    public const string Erased = "[erased]";

    /// <summary>
    /// <paramref name="stored"/> without <paramref name="value"/> (compared case-insensitively, as mail addresses are): in
    /// JSON, a string that is the value becomes <c>null</c> and one that mentions it has the mention replaced by
    /// <see cref="Erased"/>; any other text has each mention replaced, in clear and in the forms JSON escaping gives it.
    /// Null when nothing changes.
    /// </summary>
    public static string? Redact(string stored, string value)
    {
        if (!Mentions(stored, value)) return null;
        if (stored.Length > 0 && stored[0] is '{' or '[')
        {
            try
            {
                var node = JsonNode.Parse(stored);
                if (node is not null)
                {
                    var redacted = RedactNode(node, value);
                    var text = redacted?.ToJsonString(Envelope.Json) ?? "null";
                    if (!Mentions(text, value)) return text;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: treated as text below.
            }
        }
        var result = stored;
        foreach (var form in Forms(value)) result = result.Replace(form, Erased, StringComparison.OrdinalIgnoreCase);
        return result;
    }

    public static bool Mentions(string stored, string value) => Forms(value).Any(f => stored.Contains(f, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value in clear and as the two JSON encoders in use would escape it.</summary>
    private static IEnumerable<string> Forms(string value) => new[]
    {
        value,
        JsonSerializer.Serialize(value, Envelope.Json)[1..^1],
        JsonSerializer.Serialize(value)[1..^1],
    }.Distinct(StringComparer.Ordinal);

    /// <summary>Rewrites, in place, every string of a container that holds the value; a bare string comes back replaced.</summary>
    private static JsonNode? RedactNode(JsonNode node, string value)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    if (child is JsonValue) obj[name] = RedactNode(child, value);
                    else if (child is not null) RedactNode(child, value);
                }
                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue item) array[i] = RedactNode(item, value);
                    else if (array[i] is { } child) RedactNode(child, value);
                }
                return array;
            case JsonValue leaf when leaf.GetValueKind() == JsonValueKind.String:
                var text = leaf.GetValue<string>();
                if (string.Equals(text.Trim(), value, StringComparison.OrdinalIgnoreCase)) return null;
                return JsonValue.Create(text.Replace(value, Erased, StringComparison.OrdinalIgnoreCase));
            default:
                return node.DeepClone();
        }
    }
}
