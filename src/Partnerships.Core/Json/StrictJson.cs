using System.Buffers;
using System.Text;
using System.Text.Json;
using Partnerships.Core.Errors;

namespace Partnerships.Core.Json;

/// <summary>
/// The one reader for every JSON body the service accepts (partner writes, admin bodies, mapping loads, the CLI's
/// files). Stricter than RFC 8259's "SHOULD"s: the bytes must be valid UTF-8, every string and property name valid
/// UTF-16 once unescaped (no lone surrogate), no object may repeat a property name, nesting is bounded, and nothing
/// may follow the value. Each failure is a 400 naming where: the byte offset for bytes, the JSON path otherwise.
/// Checking all of it here means no parser further in ever meets text it cannot decode (which used to be a 500).
/// </summary>
public static class StrictJson
{
    /// <summary>Far deeper than any body the service defines (three levels), far shallower than a stack would mind.</summary>
    public const int MaxDepth = 32;

    private const int MaxNameInPath = 64;

    public static JsonElement Parse(ReadOnlyMemory<byte> utf8)
    {
        var bytes = utf8.Span;
        // RFC 8259 §8.1: a parser may ignore a byte order mark; the framework's reader would reject it.
        var bom = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        var text = utf8[bom..];
        if (IsBlank(text.Span))
        {
            throw ApiError.BadRequestAsWhole("The request body is empty; send a JSON value", new FieldIssue("", "the body is empty"));
        }
        if (Utf8Text.FirstInvalidByte(text.Span) is { } offset)
        {
            throw ApiError.BadRequestAsWhole($"The body is not valid UTF-8 (byte offset {offset + bom})",
                new FieldIssue("", $"invalid UTF-8 at byte offset {offset + bom}"));
        }
        Validate(text.Span);
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = MaxDepth + 1 });
        return doc.RootElement.Clone();
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return false;
        }
        return true;
    }

    private sealed class Frame(bool isObject)
    {
        public bool IsObject { get; } = isObject;
        public int Index { get; set; } = -1;
        public string? Name { get; set; }
        public HashSet<string>? Names { get; } = isObject ? new HashSet<string>(StringComparer.Ordinal) : null;
    }

    private static void Validate(ReadOnlySpan<byte> bytes)
    {
        // The reader's own depth limit is one above ours so that ours answers first, with a path.
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth + 1, CommentHandling = JsonCommentHandling.Disallow });
        var stack = new List<Frame>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        Advance(stack);
                        if (stack.Count >= MaxDepth)
                        {
                            throw ApiError.BadRequestAsWhole($"The body is nested too deeply (at most {MaxDepth} levels)",
                                new FieldIssue(PathOf(stack), $"nested deeper than {MaxDepth} levels"));
                        }
                        stack.Add(new Frame(reader.TokenType == JsonTokenType.StartObject));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        stack.RemoveAt(stack.Count - 1);
                        break;
                    case JsonTokenType.PropertyName:
                        var frame = stack[^1];
                        // A name that cannot be decoded is reported at its object's path, not at the previous sibling's.
                        frame.Name = null;
                        var name = Decode(ref reader, stack, propertyName: true);
                        frame.Name = name;
                        if (!frame.Names!.Add(name))
                        {
                            throw ApiError.BadRequest(new FieldIssue(PathOf(stack), "appears more than once in the same object"));
                        }
                        break;
                    case JsonTokenType.String:
                        Advance(stack);
                        Decode(ref reader, stack, propertyName: false);
                        break;
                    default:
                        Advance(stack);
                        break;
                }
            }
        }
        catch (JsonException e)
        {
            throw Malformed(reader, stack, e);
        }
    }

    /// <summary>A value inside an array moves its index on; inside an object the property name has already placed it.</summary>
    private static void Advance(List<Frame> stack)
    {
        if (stack.Count > 0 && !stack[^1].IsObject) stack[^1].Index++;
    }

    private static string Decode(ref Utf8JsonReader reader, List<Frame> stack, bool propertyName)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // Only an escape that unescapes to an unpaired UTF-16 surrogate gets here: the raw bytes are valid UTF-8.
            var where = PathOf(stack);
            throw ApiError.BadRequest(
                new FieldIssue(where, propertyName ? "the property name has an unpaired surrogate (\\uD800-\\uDFFF)" : "has an unpaired surrogate (\\uD800-\\uDFFF)"));
        }
    }

    private static ApiError Malformed(Utf8JsonReader reader, List<Frame> stack, JsonException e)
    {
        // The framework's wording says what is wrong ("… is an invalid start of a value", "an open JSON object … should
        // be closed", "'x' is invalid after a single JSON value"); its position suffix is replaced by ours.
        var what = e.Message;
        var cut = what.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) what = what[..cut];
        return ApiError.BadRequestAsWhole("Malformed JSON body",
            new FieldIssue(PathOf(stack), $"not valid JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine} (offset {reader.BytesConsumed}): {what}"));
    }

    /// <summary>The JSON path of the current position in the style of the field issues: <c>blockedVerticals[0].policy</c>.</summary>
    private static string PathOf(List<Frame> stack)
    {
        var path = new StringBuilder();
        foreach (var frame in stack)
        {
            if (frame.IsObject)
            {
                if (frame.Name is null) continue;
                if (path.Length > 0) path.Append('.');
                path.Append(frame.Name.Length > MaxNameInPath ? frame.Name[..MaxNameInPath] + "…" : frame.Name);
            }
            else if (frame.Index >= 0)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
        }
        return path.ToString();
    }
}

/// <summary>Strict UTF-8 for every text body (JSON, CSV, TSV): a byte that is not UTF-8 is a 400 naming its offset, never a silent U+FFFD.</summary>
public static class Utf8Text
{
    private static readonly Encoding Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The offset of the first byte that does not belong to a well-formed UTF-8 sequence, or null when all do.</summary>
    public static long? FirstInvalidByte(ReadOnlySpan<byte> bytes)
    {
        var offset = 0;
        while (offset < bytes.Length)
        {
            // ASCII runs are the common case; skip them without decoding.
            var ascii = bytes[offset..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (ascii < 0) return null;
            offset += ascii;
            var status = System.Text.Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed);
            if (status != OperationStatus.Done) return offset;
            offset += consumed;
        }
        return null;
    }

    /// <summary>Decodes a whole text body strictly (a leading BOM is dropped); <paramref name="what"/> names it in the 400.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        var bom = bytes.StartsWith("\uFEFF"u8) ? 3 : 0;
        bytes = bytes[bom..];
        if (FirstInvalidByte(bytes) is { } offset)
        {
            throw ApiError.BadRequestAsWhole($"The {what} is not valid UTF-8 (byte offset {offset + bom})", new FieldIssue("", $"invalid UTF-8 at byte offset {offset + bom}"));
        }
        return Strict.GetString(bytes);
    }
}
