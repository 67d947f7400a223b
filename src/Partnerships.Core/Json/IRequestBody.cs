namespace Partnerships.Core.Json;

/// <summary>
/// A request body's wire record. Its <see cref="Example"/> is a valid request for a freshly registered account of the
/// demo platform: the OpenAPI document shows it, and the dry-run fidelity test sends it to every write route.
/// </summary>
public interface IRequestBody<TSelf> where TSelf : IRequestBody<TSelf>
{
    static abstract TSelf Example { get; }
}
