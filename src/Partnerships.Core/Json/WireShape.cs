using System.Reflection;
using System.Text.Json.Serialization;

namespace Partnerships.Core.Json;

/// <summary>
/// The JSON field names of a wire record, read from its <see cref="JsonPropertyNameAttribute"/>s: the parsers accept
/// exactly these, so a field added to the record is accepted, documented and serialised alike, and nowhere else.
/// </summary>
public static class WireShape<T>
{
    public static string[] Fields { get; } = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is not { Condition: JsonIgnoreCondition.Always })
        .Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no [JsonPropertyName]: wire records name every field"))
        .ToArray();
}
