using System.Collections;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Partnerships.Api.Features;
using Partnerships.Core.Json;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// Every type that appears inside a request body some route declares (<see cref="WriteEndpoint.RequestBodyMetadata"/>),
/// nested records included. Their schemas say what the parsers enforce: unknown fields refused, absent optional fields.
/// </summary>
public sealed class RequestBodyTypes(IApiDescriptionGroupCollectionProvider apiDescriptions)
{
    private readonly Lazy<HashSet<Type>> _types = new(() => Collect(apiDescriptions));

    public bool Contains(Type type) => _types.Value.Contains(type);

    private static HashSet<Type> Collect(IApiDescriptionGroupCollectionProvider provider)
    {
        var found = new HashSet<Type>();
        foreach (var description in provider.ApiDescriptionGroups.Items.SelectMany(g => g.Items))
        {
            foreach (var body in description.ActionDescriptor.EndpointMetadata.OfType<WriteEndpoint.RequestBodyMetadata>())
            {
                Walk(body.Type, found);
            }
            if (description.ActionDescriptor.EndpointMetadata.OfType<BulkBodyDescription>().Any(b => b.Kind == BulkBodyKind.VerticalMappings))
            {
                Walk(typeof(MappingRowBody), found);
            }
        }
        return found;
    }

    private static void Walk(Type type, HashSet<Type> found)
    {
        type = WireTypes.Unwrap(type);
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true
            || type.Namespace?.StartsWith("Microsoft", StringComparison.Ordinal) == true || !found.Add(type))
        {
            return;
        }
        foreach (var property in type.GetProperties()) Walk(property.PropertyType, found);
    }
}

/// <summary>Type helpers for wire shapes: <see cref="Optional{T}"/>, nullable value types and lists seen through to their element.</summary>
public static class WireTypes
{
    public static Type? OptionalOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>) ? type.GetGenericArguments()[0] : null;

    public static Type Unwrap(Type type)
    {
        while (true)
        {
            if (OptionalOf(type) is { } inner) { type = inner; continue; }
            if (Nullable.GetUnderlyingType(type) is { } underlying) { type = underlying; continue; }
            if (type.IsArray) { type = type.GetElementType()!; continue; }
            if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType && type.GetGenericArguments().Length == 1)
            {
                type = type.GetGenericArguments()[0];
                continue;
            }
            return type;
        }
    }
}
