namespace Partnerships.Api.Hosting.OpenApi;

public enum QueryParameterType { String, Integer, Boolean }

/// <summary>A query parameter a route reads by hand (not through a bound handler argument), for the OpenAPI document.</summary>
public sealed record QueryParameter(string Name, string Description, IReadOnlyList<string>? Enum = null, bool Required = false,
    string? Format = null, QueryParameterType Type = QueryParameterType.String, long? Minimum = null, long? Maximum = null)
{
    public static QueryParameter Cursor(string name, string description) => new(name, description, Type: QueryParameterType.Integer, Minimum: 0);

    public static readonly QueryParameter Limit = new("limit", "At most this many items (default 100).", Type: QueryParameterType.Integer, Minimum: 1, Maximum: 1000);

    public static readonly QueryParameter Label = new("label", "A label for what is created (one line of text, at most 200 characters).");
}

/// <summary>Endpoint metadata listing the query parameters of a route.</summary>
public sealed record QueryParameters(params QueryParameter[] Items);

/// <summary>Endpoint metadata for an operator bulk load: which body formats the route reads.</summary>
public sealed record BulkBodyDescription(BulkBodyKind Kind);

public enum BulkBodyKind { VerticalMappings, NetworkTaxonomy }
