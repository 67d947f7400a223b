using System.Text;
using Partnerships.Core.Errors;

namespace Partnerships.Core.Taxonomy;

/// <summary>
/// An RFC 4180 reader: fields are separated by commas and records by CRLF or LF; a field that starts with a double quote
/// may hold commas, line breaks and doubled quotes (<c>""</c> is one <c>"</c>). A quote inside an unquoted field is kept as
/// text. An unterminated quoted field is a 400 naming the line where it opened.
/// </summary>
public static class Csv
{
    /// <summary>Yields each record with the (1-based) line it starts on.</summary>
    public static IEnumerable<(int Line, string[] Cells)> Read(TextReader reader)
    {
        var line = 1;
        var startLine = 1;
        var quoteLine = 1;
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            var ch = (char)c;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { cell.Append('"'); reader.Read(); }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    quoteLine = line;
                    break;
                case ',':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\r' or '\n':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    yield return (startLine, cells.ToArray());
                    cells.Clear();
                    line++;
                    startLine = line;
                    any = false;
                    break;
                default:
                    cell.Append(ch);
                    break;
            }
        }
        if (quoted)
        {
            throw ApiError.BadRequestAsWhole("CSV rejected: unterminated quoted field", new FieldIssue($"line {quoteLine}", "a quoted field is never closed"));
        }
        if (any)
        {
            cells.Add(cell.ToString());
            yield return (startLine, cells.ToArray());
        }
    }
}
