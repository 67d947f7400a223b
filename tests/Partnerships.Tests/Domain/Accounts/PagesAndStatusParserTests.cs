using System.Text.Json;
using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;
using Partnerships.Application.Features.Pages;
using Partnerships.Application.Features.Status;

namespace Partnerships.Tests.Domain.Accounts;

public sealed class PagesParserTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Fact]
    public void Every_surface_and_layout_type_parses_from_its_wire_name()
    {
        var pages = PagesParser.Parse(Json("""
            {"pages": [{"surface": "confirmation", "layout_type": "Overlay"}, {"surface": "tracking", "layout_type": "Embedded"},
                       {"surface": "returns", "layout_type": "Overlay"}]}
            """));
        Assert.Equal([new(Surface.Confirmation, LayoutType.Overlay), new(Surface.Tracking, LayoutType.Embedded), new(Surface.Returns, LayoutType.Overlay)], pages.Pages);
    }

    [Theory]
    [InlineData("""{"pages": []}""")]
    [InlineData("""{"pages": null}""")]
    [InlineData("{}")]
    public void The_pages_list_must_be_present_and_non_empty(string body)
    {
        Assert.Equal("pages", Assert.Throws<ApiError>(() => PagesParser.Parse(Json(body))).Details.Single().Field);
    }

    [Fact]
    public void The_same_surface_twice_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => PagesParser.Parse(Json("""
            {"pages": [{"surface": "returns", "layout_type": "Overlay"}, {"surface": "returns", "layout_type": "Overlay"}]}
            """)));
        Assert.Equal((400, "pages[1].surface"), (error.Status, error.Details.Single().Field));
    }

    [Fact]
    public void A_missing_layout_type_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => PagesParser.Parse(Json("""{"pages": [{"surface": "returns"}]}""")));
        Assert.Equal(new FieldIssue("pages[0].layout_type", "is required"), error.Details.Single());
    }

    [Fact]
    public void An_unknown_top_level_field_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => PagesParser.Parse(Json("""{"pages": [{"surface": "returns", "layout_type": "Overlay"}], "dry_run": true}""")));
        Assert.Equal(new FieldIssue("dry_run", "unknown field"), error.Details.Single());
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_rejected()
    {
        Assert.Equal("", Assert.Throws<ApiError>(() => PagesParser.Parse(Json("[]"))).Details.Single().Field);
    }
}

public sealed class StatusParserTests
{
    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    [Theory]
    [InlineData("active", AccountStatus.Active)]
    [InlineData("paused", AccountStatus.Paused)]
    public void The_status_parses_from_its_wire_name(string wire, AccountStatus expected)
    {
        Assert.Equal(expected, StatusParser.Parse(Json($$"""{"status": "{{wire}}"}""")).Status);
    }

    [Theory]
    [InlineData("""{"status": "Active"}""")]
    [InlineData("""{"status": "archived"}""")]
    [InlineData("""{"status": 1}""")]
    [InlineData("""{"status": null}""")]
    [InlineData("{}")]
    public void Anything_but_active_or_paused_is_rejected_on_the_status_field(string body)
    {
        var error = Assert.Throws<ApiError>(() => StatusParser.Parse(Json(body)));
        Assert.Equal((400, "status"), (error.Status, error.Details.Single().Field));
    }

    [Fact]
    public void An_unknown_field_is_rejected()
    {
        var error = Assert.Throws<ApiError>(() => StatusParser.Parse(Json("""{"status": "paused", "reason": "holiday"}""")));
        Assert.Equal(new FieldIssue("reason", "unknown field"), error.Details.Single());
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_rejected()
    {
        Assert.Equal("", Assert.Throws<ApiError>(() => StatusParser.Parse(Json("\"paused\""))).Details.Single().Field);
    }
}

public sealed class SurfaceNamesTests
{
    [Theory]
    [InlineData(Surface.Confirmation, "confirmation", "confirmation_page")]
    [InlineData(Surface.Tracking, "tracking", "tracking_page")]
    [InlineData(Surface.Returns, "returns", "returns_page")]
    public void A_surface_has_a_wire_name_and_a_page_identifier(Surface surface, string wire, string pageIdentifier)
    {
        Assert.Equal((wire, pageIdentifier), (SurfaceNames.Wire(surface), SurfaceNames.PageIdentifier(surface)));
    }

    [Fact]
    public void Layout_types_keep_their_capitalised_wire_names()
    {
        Assert.Equal(("Overlay", "Embedded"), (SurfaceNames.Wire(LayoutType.Overlay), SurfaceNames.Wire(LayoutType.Embedded)));
    }

    [Fact]
    public void Statuses_are_lower_case_on_the_wire()
    {
        Assert.Equal(("active", "paused"), (SurfaceNames.Wire(AccountStatus.Active), SurfaceNames.Wire(AccountStatus.Paused)));
    }
}
