using System.Text.Json;
using System.Text.Json.Serialization;

namespace Partnerships.Core.Json;

/// <summary>
/// A field of a wire shape that may be absent, which is not the same as sent as <c>null</c>: a sparse PATCH keeps an
/// absent field's value, and a null may be refused or mean "clear". <c>default</c> is absent.
/// </summary>
[JsonConverter(typeof(OptionalJsonConverterFactory))]
public readonly record struct Optional<T>
{
    private readonly T _value;

    public Optional(T value)
    {
        _value = value;
        IsSet = true;
    }

    /// <summary>True when the field was present (even as <c>null</c>).</summary>
    public bool IsSet { get; }

    /// <summary>The value sent; only meaningful when <see cref="IsSet"/>.</summary>
    public T Value => IsSet ? _value : throw new InvalidOperationException("The field was not sent");

    public T? GetValueOrDefault(T? fallback = default) => IsSet ? _value : fallback;

    public static Optional<T> Absent => default;

    public static implicit operator Optional<T>(T value) => new(value);

    public override string ToString() => IsSet ? _value?.ToString() ?? "null" : "(absent)";
}

/// <summary>Reads a present field as set (null included); writes the value. Pair a property with
/// <c>[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]</c> so an absent one is not written.</summary>
public sealed class OptionalJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalJsonConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalJsonConverter<T> : JsonConverter<Optional<T>>
    {
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<T>(ref reader, options)!);

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.GetValueOrDefault(), options);
    }
}
