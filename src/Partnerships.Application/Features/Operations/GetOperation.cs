using Partnerships.Core.Errors;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Application.Features.Operations;

/// <summary>GET /v1/partnership/operations/{operation_id}.</summary>
public static class GetOperation
{
    /// <summary>Another platform's operation is indistinguishable from a missing one (404), so ids leak nothing.</summary>
    public static async Task<OperationView> HandleAsync(Database db, string platformId, string operationId)
    {
        await using var s = await DbSession.ReadAsync(db);
        var op = await OperationStore.GetAsync(s, operationId);
        if (op is null || op.PlatformId != platformId)
        {
            throw ApiError.NotFound($"Operation {operationId} not found");
        }
        return OperationView.From(op, await OutboxStore.ForOperationAsync(s, operationId));
    }
}
