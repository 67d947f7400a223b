using Microsoft.AspNetCore.Mvc;
using Partnerships.Application.Operators;

namespace Partnerships.Api.WebConsole.Pages.Operator;

public sealed class IndexModel(PlatformAdmin platforms) : OperatorPageModel
{
    public IReadOnlyList<PlatformView> Platforms { get; private set; } = [];
    [BindProperty(Name = "name")] public string? Name { get; set; }

    public async Task OnGetAsync() => Platforms = await platforms.ListAsync();

    public Task<IActionResult> OnPostCreateAsync() => ActAsync(async () =>
    {
        var created = await platforms.CreateAsync(Actor, Name);
        return $"Platform {created.Name} created ({created.PlatformParentAccountId}). Issue it a credential below.";
    }, OnGetAsync);
}
