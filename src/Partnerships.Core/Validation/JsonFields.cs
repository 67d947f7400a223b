using System.Text.Json;
using Partnerships.Core.Errors;

namespace Partnerships.Core.Validation;

/// <summary>
/// Reads one JSON object field by field, collecting every issue instead of stopping at the first, so a caller sees all
/// that is wrong with a request at once. Unknown fields are issues too: a typo must never be silently ignored.
/// </summary>
public sealed class JsonFields
{
    private readonly List<FieldIssue> _issues;
    private readonly string _prefix;

    private JsonFields(JsonElement element, string prefix, List<FieldIssue> issues)
    {
        Element = element;
        _prefix = prefix;
        _issues = issues;
    }

    public JsonElement Element { get; }
    public IReadOnlyList<FieldIssue> Issues => _issues;

    /// <summary>Starts reading <paramref name="body"/>; a body that is not an object is one issue on the whole body.</summary>
    public static JsonFields Root(JsonElement body, params string[] allowed)
    {
        var fields = new JsonFields(body, "", []);
        fields.RequireObject("", body, allowed);
        return fields;
    }

    /// <summary>Starts reading <paramref name="body"/> as the wire record <typeparamref name="TBody"/>: its fields, and no others, are accepted.</summary>
    public static JsonFields Root<TBody>(JsonElement body) => Root(body, Json.WireShape<TBody>.Fields);

    /// <summary>Reads a nested object as the wire record <typeparamref name="TItem"/>; null when it is not an object.</summary>
    public JsonFields? Nested<TItem>(string path, JsonElement element) => Nested(path, element, Json.WireShape<TItem>.Fields);

    /// <summary>Reads a nested object at <paramref name="path"/>, sharing this reader's issue list; null when it is not an object.</summary>
    public JsonFields? Nested(string path, JsonElement element, params string[] allowed) =>
        RequireObject(path, element, allowed) ? new JsonFields(element, path + ".", _issues) : null;

    public void Add(string field, string issue) => _issues.Add(new FieldIssue(field, issue));

    public string Path(string name) => _prefix + name;

    public bool IsObject => Element.ValueKind == JsonValueKind.Object;

    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return IsObject && Element.TryGetProperty(name, out value);
    }

    public string? RequiredString(string name, int min = 1, int max = 200, bool trim = true)
    {
        if (!IsObject) return null;
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) { Add(Path(name), "is required"); return null; }
        if (v.ValueKind != JsonValueKind.String) { Add(Path(name), "must be a string"); return null; }
        var s = trim ? v.GetString()!.Trim() : v.GetString()!;
        if (s.Length < min || s.Length > max) { Add(Path(name), min == 1 && s.Length == 0 ? "must not be empty" : $"must be {min} to {max} characters"); return null; }
        return s;
    }

    public string? OptionalString(string name, int max = 320)
    {
        if (!IsObject || !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) { Add(Path(name), "must be a string"); return null; }
        var s = v.GetString()!.Trim();
        if (s.Length > max) { Add(Path(name), $"must be at most {max} characters"); return null; }
        return s;
    }

    /// <summary>A required free-text field under <see cref="TextRules"/>: one line, no control characters, trimmed, <paramref name="min"/> to <paramref name="max"/> long.</summary>
    public string? RequiredText(string name, int min = 1, int max = TextRules.DefaultMaxLength)
    {
        if (!IsObject) return null;
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) { Add(Path(name), "is required"); return null; }
        return Text(name, v, min, max);
    }

    /// <summary>An optional free-text field under <see cref="TextRules"/>; missing or null is null, and blank is "".</summary>
    public string? OptionalText(string name, int max = TextRules.DefaultMaxLength)
    {
        if (!IsObject || !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return Text(name, v, 0, max);
    }

    private string? Text(string name, JsonElement v, int min, int max)
    {
        if (v.ValueKind != JsonValueKind.String) { Add(Path(name), "must be a string"); return null; }
        if (!TextRules.TryGetString(v, out var raw)) { Add(Path(name), TextRules.Unreadable); return null; }
        var text = TextRules.Check(raw, min, max, out var issue);
        if (issue is not null) Add(Path(name), issue);
        return text;
    }

    public long? RequiredPositiveLong(string name)
    {
        if (!IsObject) return null;
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) { Add(Path(name), "is required"); return null; }
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n)) { Add(Path(name), "must be an integer"); return null; }
        if (n <= 0) { Add(Path(name), "must be a positive integer"); return null; }
        return n;
    }

    /// <summary>
    /// A required array (missing or null is an issue: omission is not emptiness). Longer than <paramref name="maxLength"/>
    /// is one issue naming the limit, and its items are not read, so an oversized list costs no more than a short one.
    /// </summary>
    public JsonElement? RequiredArray(string name, int maxLength = int.MaxValue, string? limitReason = null)
    {
        if (!IsObject) return null;
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) { Add(Path(name), "is required (send [] for none)"); return null; }
        if (v.ValueKind != JsonValueKind.Array) { Add(Path(name), "must be an array"); return null; }
        if (v.GetArrayLength() > maxLength)
        {
            Add(Path(name), $"must have at most {maxLength} items{(limitReason is null ? "" : " (" + limitReason + ")")}; it has {v.GetArrayLength()}");
            return null;
        }
        return v;
    }

    public TEnum? RequiredEnum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> values) where TEnum : struct
    {
        if (!IsObject) return null;
        if (!TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) { Add(Path(name), "is required"); return null; }
        return Enum(name, v, values);
    }

    public TEnum? OptionalEnum<TEnum>(string name, IReadOnlyDictionary<string, TEnum> values) where TEnum : struct
    {
        if (!IsObject || !TryGet(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return Enum(name, v, values);
    }

    private TEnum? Enum<TEnum>(string name, JsonElement v, IReadOnlyDictionary<string, TEnum> values) where TEnum : struct
    {
        if (v.ValueKind == JsonValueKind.String && values.TryGetValue(v.GetString()!, out var parsed)) return parsed;
        Add(Path(name), "must be one of " + string.Join(", ", values.Keys.Select(k => $"\"{k}\"")));
        return null;
    }

    /// <summary>Throws one 400 listing every issue found, if any; its message is the first issue's text and how many more there are.</summary>
    public void ThrowIfAny()
    {
        if (_issues.Count > 0) throw ApiError.BadRequest(_issues.ToList());
    }

    private bool RequireObject(string path, JsonElement element, string[] allowed)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            _issues.Add(new FieldIssue(path, path.Length == 0 ? "the body must be a JSON object" : "must be an object"));
            return false;
        }
        var prefix = path.Length == 0 ? "" : path + ".";
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name, StringComparer.Ordinal)) _issues.Add(new FieldIssue(prefix + property.Name, "unknown field"));
        }
        return true;
    }
}
