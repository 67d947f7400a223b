using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;
using Partnerships.Application.Features.Layouts;

namespace Partnerships.Tests.Domain.Accounts;

public sealed class LayoutPatchParserTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    private static FieldIssue Rejected(string body)
    {
        var error = Assert.Throws<ApiError>(() => LayoutPatchParser.Parse(Json(body)));
        Assert.Equal(400, error.Status);
        return Assert.Single(error.Details);
    }

    [Fact]
    public void All_five_tokens_parse()
    {
        var patch = LayoutPatchParser.Parse(Json("""
            {"primaryColor": "#1a73e8", "backgroundColor": "#ffffff", "textColor": "#202124", "closeButtonColor": "#5f6368", "borderRadius": 8}
            """));
        Assert.Equal(new LayoutPatchBody("#1a73e8", "#ffffff", "#202124", "#5f6368", 8), patch);
    }

    [Fact]
    public void Absent_tokens_are_absent_so_they_keep_their_value()
    {
        var patch = LayoutPatchParser.Parse(Json("""{"textColor": "#000000"}"""));
        Assert.Equal(new LayoutPatchBody(default, default, "#000000", default, default), patch);
        Assert.False(patch.PrimaryColor.IsSet);
        Assert.False(patch.BorderRadius.IsSet);
    }

    [Fact]
    public void Short_hex_colours_expand_to_six_digits()
    {
        Assert.Equal("#aabbcc", LayoutPatchParser.Parse(Json("""{"primaryColor": "#abc"}""")).PrimaryColor.Value);
    }

    [Fact]
    public void Hex_colours_are_lower_cased()
    {
        Assert.Equal("#1a73e8", LayoutPatchParser.Parse(Json("""{"backgroundColor": "#1A73E8"}""")).BackgroundColor.Value);
    }

    [Theory]
    [InlineData("red")]
    [InlineData("#12345")]
    [InlineData("#1234567")]
    [InlineData("#ggg")]
    [InlineData("1a73e8")]
    [InlineData("")]
    public void A_colour_that_is_not_hex_rgb_or_rrggbb_is_rejected(string value)
    {
        Assert.Equal("closeButtonColor", Rejected($$"""{"closeButtonColor": "{{value}}"}""").Field);
    }

    [Fact]
    public void A_colour_of_the_wrong_json_type_is_rejected()
    {
        Assert.Equal("primaryColor", Rejected("""{"primaryColor": 123456}""").Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(64)]
    public void The_border_radius_may_be_0_to_64_pixels(int radius)
    {
        Assert.Equal(radius, LayoutPatchParser.Parse(Json($$"""{"borderRadius": {{radius}}}""")).BorderRadius.Value);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("65")]
    [InlineData("4.5")]
    [InlineData("\"8\"")]
    [InlineData("99999999999")]
    public void A_border_radius_outside_0_to_64_or_not_an_integer_is_rejected(string json)
    {
        Assert.Equal("borderRadius", Rejected($$"""{"borderRadius": {{json}}}""").Field);
    }

    [Theory]
    [InlineData("primaryColor")]
    [InlineData("borderRadius")]
    public void An_explicit_null_is_rejected_because_omission_keeps_the_value(string field)
    {
        Assert.Equal(new FieldIssue(field, "cannot be null; omit the field to keep its value"), Rejected($$"""{"{{field}}": null}"""));
    }

    [Fact]
    public void An_empty_patch_is_rejected()
    {
        Assert.Equal("", Rejected("{}").Field);
    }

    [Fact]
    public void An_unknown_field_is_rejected()
    {
        Assert.Equal(new FieldIssue("fontFamily", "unknown field"), Rejected("""{"textColor": "#000", "fontFamily": "Arial"}"""));
    }

    [Fact]
    public void Every_bad_token_is_named_at_once()
    {
        var error = Assert.Throws<ApiError>(() => LayoutPatchParser.Parse(Json("""{"primaryColor": "blue", "textColor": null, "borderRadius": 100}""")));
        Assert.Equal(["borderRadius", "primaryColor", "textColor"], error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_rejected()
    {
        Assert.Equal("", Rejected("[]").Field);
    }
}
