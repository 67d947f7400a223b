using System.Reflection;
using System.Text.Json.Serialization;

namespace Partnerships.Core.Json;

/// <summary>An enum's wire names (its <see cref="JsonStringEnumMemberNameAttribute"/>s, else the member names): what the
/// parsers accept, the serialiser writes and the OpenAPI document lists.</summary>
public static class WireEnum<TEnum> where TEnum : struct, Enum
{
    public static IReadOnlyDictionary<string, TEnum> Values { get; } = typeof(TEnum).GetFields(BindingFlags.Public | BindingFlags.Static)
        .ToDictionary(f => f.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? f.Name, f => (TEnum)f.GetValue(null)!, StringComparer.Ordinal);

    private static readonly Dictionary<TEnum, string> Names = Values.ToDictionary(kv => kv.Value, kv => kv.Key);

    public static string Name(TEnum value) => Names[value];
}
