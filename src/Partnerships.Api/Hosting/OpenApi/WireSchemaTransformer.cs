using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Partnerships.Api.Hosting.OpenApi;

/// <summary>
/// Makes each generated schema say what the service really does with the wire shape:
/// integers are integers only (the parsers refuse numeric strings); enums are strings; an <c>Optional&lt;T&gt;</c> field is
/// T's schema and not required; in a request body a field is required when it is <c>[Required]</c> or non-nullable, and
/// unknown fields are refused (<c>additionalProperties: false</c>); <c>[Description]</c> on records and fields reaches the document.
/// </summary>
public sealed class WireSchemaTransformer(RequestBodyTypes requestBodyTypes) : IOpenApiSchemaTransformer
{
    private static readonly NullabilityInfoContext Nullability = new();

    public async Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var property = context.JsonPropertyInfo;
        if (property is not null && WireTypes.OptionalOf(property.PropertyType) is { } inner)
        {
            var innerSchema = await context.GetOrCreateSchemaAsync(inner, null, cancellationToken);
            ReplaceWith(schema, innerSchema, OptionalValueIsNullable(property, inner));
        }
        IntegersOnly(schema);
        StringEnums(schema);

        if (property?.AttributeProvider is MemberInfo member && member.GetCustomAttribute<DescriptionAttribute>() is { } propertyDescription)
        {
            schema.Description ??= propertyDescription.Description;
        }
        if (property is null && context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            var type = context.JsonTypeInfo.Type;
            if (type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription) schema.Description ??= typeDescription.Description;
            var isRequestBody = requestBodyTypes.Contains(type);
            schema.Required = new HashSet<string>(context.JsonTypeInfo.Properties
                .Where(p => isRequestBody ? IsRequiredInRequest(p) : WireTypes.OptionalOf(p.PropertyType) is null && (schema.Required?.Contains(p.Name) ?? false))
                .Select(p => p.Name));
            if (isRequestBody) schema.AdditionalPropertiesAllowed = false;
        }
    }

    /// <summary>Absent is allowed for an Optional&lt;T&gt; and for a nullable field without [Required]; everything else must be sent.</summary>
    private static bool IsRequiredInRequest(JsonPropertyInfo p)
    {
        if (WireTypes.OptionalOf(p.PropertyType) is not null) return false;
        if (p.IsRequired) return true;
        var member = p.AttributeProvider as MemberInfo;
        if (member?.GetCustomAttribute<RequiredAttribute>() is not null || member?.GetCustomAttribute<JsonRequiredAttribute>() is not null) return true;
        if (Nullable.GetUnderlyingType(p.PropertyType) is not null) return false;
        if (p.PropertyType.IsValueType) return true;
        return member switch
        {
            PropertyInfo info => Nullability.Create(info).ReadState != NullabilityState.Nullable,
            FieldInfo info => Nullability.Create(info).ReadState != NullabilityState.Nullable,
            _ => true,
        };
    }

    private static bool OptionalValueIsNullable(JsonPropertyInfo property, Type inner)
    {
        if (Nullable.GetUnderlyingType(inner) is not null) return true;
        if (inner.IsValueType) return false;
        var info = property.AttributeProvider switch
        {
            PropertyInfo p => Nullability.Create(p),
            FieldInfo f => Nullability.Create(f),
            _ => null,
        };
        return info?.GenericTypeArguments is [{ ReadState: NullabilityState.Nullable }];
    }

    /// <summary>
    /// The Optional wrapper's own schema (whatever the serializer made of the struct) becomes the value's schema. The bounds
    /// the field's attributes put on it ([StringLength], [Range], [RegularExpression]) stay.
    /// </summary>
    private static void ReplaceWith(OpenApiSchema schema, IOpenApiSchema value, bool nullable)
    {
        var (description, pattern, minLength, maxLength, minimum, maximum, minItems, maxItems) =
            (schema.Description, schema.Pattern, schema.MinLength, schema.MaxLength, schema.Minimum, schema.Maximum, schema.MinItems, schema.MaxItems);
        schema.Type = null;
        schema.Properties = null;
        schema.Required = null;
        schema.AdditionalProperties = null;
        schema.Items = null;
        schema.Format = null;
        schema.Enum = null;
        schema.AllOf = null;
        schema.AnyOf = null;
        schema.OneOf = null;
        if (value is OpenApiSchemaReference reference)
        {
            if (nullable) schema.AnyOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference];
            else schema.AllOf = [reference];
        }
        else if (value is OpenApiSchema concrete)
        {
            schema.Type = concrete.Type is { } t && nullable ? t | JsonSchemaType.Null : concrete.Type;
            schema.Properties = concrete.Properties;
            schema.Required = concrete.Required;
            schema.AdditionalProperties = concrete.AdditionalProperties;
            schema.AdditionalPropertiesAllowed = concrete.AdditionalPropertiesAllowed;
            schema.Items = concrete.Items;
            schema.Format = concrete.Format;
            schema.Enum = concrete.Enum is null ? null : nullable ? [.. concrete.Enum, null!] : concrete.Enum;
            schema.AllOf = concrete.AllOf;
            schema.AnyOf = concrete.AnyOf;
            schema.OneOf = concrete.OneOf;
            (pattern, minLength, maxLength) = (pattern ?? concrete.Pattern, minLength ?? concrete.MinLength, maxLength ?? concrete.MaxLength);
            (minimum, maximum, minItems, maxItems) = (minimum ?? concrete.Minimum, maximum ?? concrete.Maximum, minItems ?? concrete.MinItems, maxItems ?? concrete.MaxItems);
            description ??= concrete.Description;
        }
        (schema.Pattern, schema.MinLength, schema.MaxLength, schema.Minimum, schema.Maximum, schema.MinItems, schema.MaxItems) =
            (pattern, minLength, maxLength, minimum, maximum, minItems, maxItems);
        schema.Description = description;
    }

    /// <summary>The serializer's default schema for numbers allows numeric strings; the service's parsers do not.</summary>
    private static void IntegersOnly(OpenApiSchema schema)
    {
        // [Range(1, long.MaxValue)] means "positive": the bound itself only loses precision as a JSON number.
        if (schema.Maximum is { } max && decimal.TryParse(max, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var bound)
            && bound >= long.MaxValue)
        {
            schema.Maximum = null;
        }
        if (schema.Type is not { } type) return;
        foreach (var number in new[] { JsonSchemaType.Integer, JsonSchemaType.Number })
        {
            if (type.HasFlag(number) && type.HasFlag(JsonSchemaType.String))
            {
                schema.Type = type & ~JsonSchemaType.String;
                schema.Pattern = null;
                return;
            }
        }
    }

    private static void StringEnums(OpenApiSchema schema)
    {
        if (schema.Type is null && schema.Enum is { Count: > 0 } values && values.All(v => v is null || v.GetValueKind() == System.Text.Json.JsonValueKind.String))
        {
            schema.Type = values.Any(v => v is null) ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        }
    }
}
