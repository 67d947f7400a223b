using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Partnerships.Storage;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.WebConsole;

/// <summary>
/// The Data Protection key ring in the store (<c>data_protection_keys</c>): every process of the service reads the same
/// keys, so a console cookie written by one is read by all, and a restart signs nobody out. The framework calls this
/// rarely (at start and when the ring is refreshed, about daily) and synchronously.
/// </summary>
public sealed class StoreXmlRepository(Database db, TimeProvider clock) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => Task.Run(async () =>
    {
        await using var s = await DbSession.ReadAsync(db);
        return (await DataProtectionKeyStore.ListAsync(s)).Select(x => XElement.Parse(x)).ToList();
    }).GetAwaiter().GetResult();

    public void StoreElement(XElement element, string friendlyName) => Task.Run(async () =>
    {
        await using var s = await DbSession.WriteAsync(db);
        await DataProtectionKeyStore.InsertAsync(s, friendlyName, element.ToString(SaveOptions.DisableFormatting), clock.GetUtcNow());
        await s.CommitAsync();
    }).GetAwaiter().GetResult();
}
