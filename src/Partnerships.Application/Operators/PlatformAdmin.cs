using Partnerships.Core.Errors;
using Partnerships.Core.Validation;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Operators;

/// <summary>Operators create, list and look up platforms (the integration partners).</summary>
public sealed class PlatformAdmin(Database db, TimeProvider clock)
{
    public Task<PlatformView> CreateAsync(OperatorActor actor, string? name) => OperatorAudit.RunAsync(db, clock, actor, "platform.create", null, async audit =>
    {
        name = TextRules.Check(name ?? "", 1, TextRules.DefaultMaxLength, out var issue) ?? throw ApiError.Field("name", issue!);
        await using var s = await DbSession.WriteAsync(db);
        if (await PlatformStore.FindByNameAsync(s, name) is not null)
        {
            throw ApiError.Conflict($"A platform named '{name}' already exists", ErrorReasons.NameTaken, new FieldIssue("name", "already exists"));
        }
        var row = await PlatformStore.InsertAsync(s, Guid.NewGuid().ToString(), name, clock.GetUtcNow());
        (audit.Target, audit.PlatformId, audit.Status, audit.After) = ("platform:" + row.Id, row.Id, 201, new { name });
        await audit.CommitAsync(s);
        return View(row);
    });

    public async Task<IReadOnlyList<PlatformView>> ListAsync()
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await PlatformStore.ListAsync(s)).Select(View).ToList();
    }

    /// <summary>The platform, or null when no platform has that id.</summary>
    public async Task<PlatformView?> FindAsync(string id)
    {
        await using var s = await DbSession.ReadAsync(db);
        return await PlatformStore.GetAsync(s, id) is { } row ? View(row) : null;
    }

    private static PlatformView View(PlatformRow p) => new(p.Id, p.Name, p.CreatedAt);
}
