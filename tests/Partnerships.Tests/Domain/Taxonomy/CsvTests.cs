using Partnerships.Core.Errors;
using Partnerships.Core.Taxonomy;

namespace Partnerships.Tests.Domain.Taxonomy;

public sealed class CsvTests
{
    private static List<(int Line, string[] Cells)> Read(string text) => Csv.Read(new StringReader(text)).ToList();

    [Fact]
    public void Plain_fields_split_on_commas()
    {
        Assert.Equal(["a", "b", "", "d"], Read("a,b,,d\n").Single().Cells);
    }

    [Fact]
    public void A_quoted_field_may_hold_commas()
    {
        Assert.Equal(["1", "Food, drink", "2"], Read("1,\"Food, drink\",2\n").Single().Cells);
    }

    [Fact]
    public void A_doubled_quote_inside_a_quoted_field_is_one_quote()
    {
        Assert.Equal(["The \"best\" bars", ""], Read("\"The \"\"best\"\" bars\",\"\"\n").Single().Cells);
    }

    [Fact]
    public void A_quoted_field_may_span_lines_and_the_next_record_keeps_its_own_line_number()
    {
        var records = Read("a,\"two\nlines\"\nb,c\n");
        Assert.Equal(["a", "two\nlines"], records[0].Cells);
        Assert.Equal(3, records[1].Line);
        Assert.Equal(["b", "c"], records[1].Cells);
    }

    [Fact]
    public void CRLF_and_a_missing_final_newline_are_accepted()
    {
        var records = Read("a,b\r\nc,d");
        Assert.Equal([["a", "b"], ["c", "d"]], records.Select(r => r.Cells));
        Assert.Equal([1, 2], records.Select(r => r.Line));
    }

    [Fact]
    public void An_unterminated_quoted_field_is_rejected_naming_the_line_it_opened_on()
    {
        var error = Assert.Throws<ApiError>(() => Read("a,b\nc,\"open\nmore\n"));
        Assert.Equal("line 2", error.Details.Single().Field);
    }
}
