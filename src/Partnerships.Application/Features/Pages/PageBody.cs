using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Partnerships.Core.Accounts;

namespace Partnerships.Application.Features.Pages;

/// <summary>One page to create: the storefront surface it sits on and how it is laid out.</summary>
[Description("A page to create. Each surface appears at most once in a request and once per account.")]
public sealed record PageBody(
    [property: JsonPropertyName("surface"), Required] Surface Surface,
    [property: JsonPropertyName("layout_type"), Required] LayoutType LayoutType);
