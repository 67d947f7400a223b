using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Accounts;
using Partnerships.Core.Json;

namespace Partnerships.Application.Features.Pages;

/// <summary>POST …/pages: surfaces to add to an account that does not have them yet.</summary>
[Description("Surfaces to add. A surface listed twice is a 400; a surface the account already has is a 409 (reason surface_exists).")]
public sealed record PagesBody(
    [property: JsonPropertyName("pages"), Required, MinLength(1), MaxLength(PagesParser.MaxPages)] IReadOnlyList<PageBody> Pages) : IRequestBody<PagesBody>
{
    public static PagesBody Example => new([new PageBody(Surface.Returns, LayoutType.Embedded)]);
}
