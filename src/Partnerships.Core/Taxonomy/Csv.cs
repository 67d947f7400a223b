using System.Text;

namespace Partnerships.Core.Taxonomy;

/// <summary>An RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks.</summary>
public static class Csv
{
    public static IEnumerable<(int Line, string[] Cells)> Read(TextReader reader)
    {
        var line = 1;
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var startLine = 1;
        int c;
        var any = false;
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
                case '"' when cell.Length == 0: quoted = true; break;
                case ',': cells.Add(cell.ToString()); cell.Clear(); break;
                case '\r': break;
                case '\n':
                    cells.Add(cell.ToString()); cell.Clear();
                    yield return (startLine, cells.ToArray());
                    cells.Clear();
                    line++;
                    startLine = line;
                    any = false;
                    break;
                default: cell.Append(ch); break;
            }
        }
        if (any || cell.Length > 0 || cells.Count > 0)
        {
            cells.Add(cell.ToString());
            yield return (startLine, cells.ToArray());
        }
    }
}
