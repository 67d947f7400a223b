using System.Reflection;

namespace Partnerships.Core.Errors;

/// <summary>The public string constants a class declares: the one list of codes or reasons that documents and tests read.</summary>
internal static class StringConstants
{
    public static IReadOnlyList<string> Of(Type type) => type.GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!).ToList();
}
