using System.Text.Json;
using System.Text.Json.Nodes;
using Partnerships.Core.Accounts;
using Partnerships.Core.Errors;
using Partnerships.Application.Features.Pages;
using Partnerships.Application.Features.Registration;

namespace Partnerships.Tests.Domain.Accounts;

public sealed class RegistrationParserTests
{
    private const string Valid = """
        {"brand": "Acme Beer Co", "vertical_id": 1500, "sub_vertical_id": 1610, "country_code": "US", "platform_parent_account_id": "plat_1",
         "store_identifier": "https://shop.example.com", "external_account_id": "merchant-42", "contact_email": "ops@example.com",
         "pages": [{"surface": "confirmation", "layout_type": "Overlay"}, {"surface": "returns", "layout_type": "Embedded"}]}
        """;

    /// <summary>The valid body with one field replaced (a JSON literal) or removed (null).</summary>
    private static JsonElement With(string field, string? json)
    {
        var node = JsonNode.Parse(Valid)!.AsObject();
        node.Remove(field);
        if (json is not null) node[field] = JsonNode.Parse(json);
        return JsonDocument.Parse(node.ToJsonString()).RootElement;
    }

    private static RegistrationBody Parse(JsonElement body) => RegistrationParser.Parse(body);

    private static FieldIssue Rejected(JsonElement body)
    {
        var error = Assert.Throws<ApiError>(() => Parse(body));
        Assert.Equal(400, error.Status);
        var issue = Assert.Single(error.Details);
        Assert.Equal(issue.Text(), error.Message);
        return issue;
    }

    [Fact]
    public void A_valid_registration_parses_every_field()
    {
        var request = Parse(JsonDocument.Parse(Valid).RootElement);
        Assert.Equal(new RegistrationBody("Acme Beer Co", 1500, 1610, "US", "plat_1", "https://shop.example.com", "merchant-42", "ops@example.com",
            request.Pages), request);
        Assert.Equal([new PageBody(Surface.Confirmation, LayoutType.Overlay), new PageBody(Surface.Returns, LayoutType.Embedded)], request.Pages);
    }

    [Fact]
    public void A_body_that_is_not_an_object_is_rejected_on_the_empty_field()
    {
        Assert.Equal("", Rejected(JsonDocument.Parse("[1]").RootElement).Field);
    }

    [Fact]
    public void An_unknown_field_is_rejected_by_name()
    {
        Assert.Equal(new FieldIssue("vertical", "unknown field"), Rejected(With("vertical", "1")));
    }

    [Fact]
    public void Every_offending_field_is_named_at_once()
    {
        var error = Assert.Throws<ApiError>(() => Parse(JsonDocument.Parse("""
            {"brand": "", "vertical_id": -1, "sub_vertical_id": "1610", "country_code": "ZZ", "platform_parent_account_id": "p",
             "store_identifier": "shop.example.com", "external_account_id": "e", "contact_email": "x@", "pages": [{"surface": "tracking"}], "extra": 1}
            """).RootElement));
        Assert.Equal(["brand", "contact_email", "country_code", "extra", "pages[0].layout_type", "store_identifier", "sub_vertical_id", "vertical_id"],
            error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_brand_is_trimmed()
    {
        Assert.Equal("Acme", Parse(With("brand", "\"  Acme  \"")).Brand);
    }

    [Theory]
    [InlineData("\"   \"")]
    [InlineData("null")]
    [InlineData("42")]
    public void A_blank_missing_or_non_string_brand_is_rejected(string json)
    {
        Assert.Equal("brand", Rejected(With("brand", json)).Field);
    }

    [Fact]
    public void A_missing_brand_is_rejected()
    {
        Assert.Equal(new FieldIssue("brand", "is required"), Rejected(With("brand", null)));
    }

    [Fact]
    public void A_brand_of_200_characters_is_accepted_and_201_is_rejected()
    {
        Assert.Equal(200, Parse(With("brand", $"\"{new string('b', 200)}\"")).Brand.Length);
        Assert.Equal("brand", Rejected(With("brand", $"\"{new string('b', 201)}\"")).Field);
    }

    [Theory]
    [InlineData("vertical_id", "0")]
    [InlineData("vertical_id", "-5")]
    [InlineData("vertical_id", "1.5")]
    [InlineData("vertical_id", "\"1500\"")]
    [InlineData("sub_vertical_id", "null")]
    [InlineData("sub_vertical_id", "true")]
    public void Partner_ids_must_be_positive_JSON_integers(string field, string json)
    {
        Assert.Equal(field, Rejected(With(field, json)).Field);
    }

    [Fact]
    public void A_missing_sub_vertical_id_is_rejected()
    {
        Assert.Equal(new FieldIssue("sub_vertical_id", "is required"), Rejected(With("sub_vertical_id", null)));
    }

    [Theory]
    [InlineData("\"GB\"")]
    [InlineData("\"AX\"")]
    [InlineData("\"SS\"")]
    public void An_assigned_country_code_is_accepted(string json)
    {
        Assert.Equal(json.Trim('"'), Parse(With("country_code", json)).CountryCode);
    }

    [Theory]
    [InlineData("\"us\"")]   // lower case
    [InlineData("\"USA\"")]  // alpha-3
    [InlineData("\"ZZ\"")]   // user-assigned, not officially assigned
    [InlineData("\"UK\"")]   // exceptionally reserved, not assigned
    [InlineData("\"EU\"")]
    [InlineData("\"\"")]
    [InlineData("840")]
    public void A_country_code_that_is_not_an_assigned_upper_case_alpha_2_code_is_rejected(string json)
    {
        Assert.Equal("country_code", Rejected(With("country_code", json)).Field);
    }

    [Fact]
    public void The_country_list_holds_the_249_officially_assigned_codes()
    {
        Assert.Equal(249, CountryCodes.Count);
    }

    [Fact]
    public void The_platform_parent_account_id_is_required()
    {
        Assert.Equal("platform_parent_account_id", Rejected(With("platform_parent_account_id", "\"\"")).Field);
        Assert.Equal("platform_parent_account_id", Rejected(With("platform_parent_account_id", null)).Field);
    }

    [Theory]
    [InlineData("https://shop.example.com/store?id=1")]
    [InlineData("http://localhost:5000")]
    public void An_absolute_http_or_https_url_is_a_store_identifier(string url)
    {
        Assert.Equal(url, Parse(With("store_identifier", $"\"{url}\"")).StoreIdentifier);
    }

    [Fact]
    public void A_bare_host_is_not_a_valid_store_identifier()
    {
        Assert.Equal(new FieldIssue("store_identifier", "store_identifier shop.example.com is not a valid URL"),
            Rejected(With("store_identifier", "\"shop.example.com\"")));
    }

    [Theory]
    [InlineData("ftp://shop.example.com")]
    [InlineData("https://shop")]
    [InlineData("/relative/path")]
    [InlineData("https://user:secret@shop.example.com")]
    public void Other_non_urls_are_rejected_with_the_same_message(string value)
    {
        Assert.Equal($"store_identifier {value} is not a valid URL", Rejected(With("store_identifier", $"\"{value}\"")).Issue);
    }

    [Fact]
    public void An_external_account_id_of_128_characters_is_accepted_and_129_is_rejected()
    {
        Assert.Equal(128, Parse(With("external_account_id", $"\"{new string('e', 128)}\"")).ExternalAccountId.Length);
        Assert.Equal("external_account_id", Rejected(With("external_account_id", $"\"{new string('e', 129)}\"")).Field);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"abc\\u0000\"")]
    [InlineData("\"line\\nbreak\"")]
    [InlineData("\" padded \"")]
    [InlineData("7")]
    public void An_empty_padded_non_string_or_control_character_external_account_id_is_rejected(string json)
    {
        Assert.Equal("external_account_id", Rejected(With("external_account_id", json)).Field);
    }

    [Fact]
    public void The_contact_email_is_optional_and_may_be_null()
    {
        Assert.Null(Parse(With("contact_email", null)).ContactEmail);
        Assert.Null(Parse(With("contact_email", "null")).ContactEmail);
    }

    [Theory]
    [InlineData("\"x@\"")]
    [InlineData("\"not-an-email\"")]
    [InlineData("\"Ops <ops@example.com>\"")]
    [InlineData("\"\"")]
    [InlineData("5")]
    public void A_contact_email_that_is_not_a_bare_address_is_rejected(string json)
    {
        Assert.Equal("contact_email", Rejected(With("contact_email", json)).Field);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("null")]
    public void Pages_are_optional_and_default_to_none(string? json)
    {
        Assert.Empty(Parse(With("pages", json)).Pages!);
    }

    [Fact]
    public void The_same_surface_twice_is_rejected_on_the_second_entry()
    {
        var issue = Rejected(With("pages", """[{"surface": "tracking", "layout_type": "Overlay"}, {"surface": "tracking", "layout_type": "Embedded"}]"""));
        Assert.Equal("pages[1].surface", issue.Field);
    }

    [Fact]
    public void A_page_entry_needs_a_known_surface_and_layout_type()
    {
        var error = Assert.Throws<ApiError>(() => Parse(With("pages", """[{"surface": "Confirmation", "layout_type": "overlay", "name": "x"}, 3]""")));
        Assert.Equal(["pages[0].layout_type", "pages[0].name", "pages[0].surface", "pages[1]"], error.Details.Select(d => d.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Pages_must_be_an_array()
    {
        Assert.Equal("pages", Rejected(With("pages", "{}")).Field);
    }
}
