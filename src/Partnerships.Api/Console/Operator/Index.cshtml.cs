using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.WebConsole.Pages.Operator;

public sealed class IndexModel(Database db) : OperatorPageModel
{
    public IReadOnlyList<PlatformRow> Platforms { get; private set; } = [];

    public async Task OnGetAsync()
    {
        await using var s = await DbSession.ReadAsync(db, HttpContext.RequestAborted);
        Platforms = await PlatformStore.ListAsync(s);
    }
}
