using Partnerships.Core.Errors;

namespace Partnerships.Tests.Domain;

/// <summary>A field's 400 says in its message what to fix: the first issue's text, and how many more there are.</summary>
public sealed class ErrorMessageTests
{
    [Fact]
    public void The_published_example_is_its_own_message()
    {
        var error = ApiError.BadRequest(new FieldIssue("store_identifier", "store_identifier https://acme is not a valid URL"));
        Assert.Equal("store_identifier https://acme is not a valid URL", error.Message);
        Assert.Equal(400, error.Status);
        Assert.Equal("BadRequest", error.Code);
    }

    [Fact]
    public void An_issue_that_does_not_name_its_field_is_prefixed_with_it()
    {
        Assert.Equal("brand: is required", ApiError.BadRequest(new FieldIssue("brand", "is required")).Message);
        Assert.Equal("limit: must be an integer from 1 to 100", ApiError.Field("limit", "must be an integer from 1 to 100").Message);
        Assert.Equal("the body must be a JSON object", ApiError.BadRequest(new FieldIssue("", "the body must be a JSON object")).Message);
    }

    [Fact]
    public void Several_issues_give_the_first_ones_text_and_count_the_rest()
    {
        Assert.Equal("brand: is required (and 1 more issue)",
            ApiError.BadRequest(new FieldIssue("brand", "is required"), new FieldIssue("vertical_id", "must be an integer")).Message);
        var three = ApiError.BadRequest(new FieldIssue("brand", "is required"), new FieldIssue("a", "x"), new FieldIssue("b", "y"));
        Assert.Equal("brand: is required (and 2 more issues)", three.Message);
        Assert.Equal(3, three.Details.Count);
    }

    [Fact]
    public void More_issues_than_details_holds_are_counted_in_full()
    {
        var error = ApiError.BadRequest(Enumerable.Range(0, 120).Select(i => new FieldIssue($"f{i}", "unknown field")).ToList());
        Assert.Equal(ApiError.MaxDetails, error.Details.Count);
        Assert.Equal("f0: unknown field (and 119 more issues; details lists the first 50)", error.Message);
    }

    [Fact]
    public void The_message_is_built_from_the_bounded_detail_so_the_two_agree()
    {
        var error = ApiError.BadRequest(new FieldIssue("name", "x" + new string('y', 500)));
        Assert.Equal(error.Details[0].Text(), error.Message);
        Assert.True(error.Message.Length <= ApiError.MaxFieldLength + ApiError.MaxIssueLength + 2);
    }

    [Fact]
    public void A_rejection_of_the_request_as_a_whole_keeps_its_own_message()
    {
        var error = ApiError.BadRequestAsWhole("No partnership vertical mapping exists for MCL translation",
            new FieldIssue("blockedVerticals[0]", "no mapping"));
        Assert.Equal("No partnership vertical mapping exists for MCL translation", error.Message);
    }

    [Theory]
    [InlineData("owner@acme-outdoor.example.com is not allowed", "(an e-mail address) is not allowed")]
    [InlineData("x first.last+tag@sub.example.co.uk y", "x (an e-mail address) y")]
    [InlineData("+14155550100 is not E.164", "(a phone number) is not E.164")]
    [InlineData("call +1 (415) 555-0100 now", "call (a phone number) now")]
    [InlineData("store_identifier https://user:secret@shop.example.com is not a valid URL", "store_identifier https://user:secret@shop.example.com is not a valid URL")]
    [InlineData("store_identifier mailto:owner@acme-outdoor.example.com is not a valid URL", "store_identifier mailto:(an e-mail address) is not a valid URL")]
    [InlineData("must not contain '@'", "must not contain '@'")]
    [InlineData("must be at most 1000 items; it has 1234567", "must be at most 1000 items; it has 1234567")]
    [InlineData("2026-12-02T00:50:47+00:00", "2026-12-02T00:50:47+00:00")]
    public void Personal_values_are_replaced_by_what_they_are(string text, string redacted)
    {
        Assert.Equal(redacted, PersonalData.Redact(text));
    }

    [Fact]
    public void No_message_or_detail_echoes_an_e_mail_address_or_phone_number()
    {
        var error = ApiError.BadRequest(new FieldIssue("bob@example.com", "unknown field"), new FieldIssue("phone", "+447911123456 is not allowed"));
        Assert.Equal("(an e-mail address): unknown field (and 1 more issue)", error.Message);
        Assert.Equal("(a phone number) is not allowed", error.Details[1].Issue);
        var conflict = ApiError.Conflict("external_account_id bob@example.com is taken", ErrorReasons.ExternalAccountIdTaken);
        Assert.DoesNotContain("bob@", conflict.Message + string.Concat(conflict.Details.Select(d => d.Field + d.Issue)));
    }
}
