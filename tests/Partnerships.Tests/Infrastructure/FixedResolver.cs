using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Partnerships.Delivery;

namespace Partnerships.Tests.Infrastructure;

/// <summary>
/// A DNS of the tests' own: names answer with the addresses set here (and can be changed while a server runs, as a
/// rebinding attacker would); other names do not exist, as the system resolver says on a machine without public DNS.
/// </summary>
public sealed class FixedResolver : IWebhookResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.Ordinal);
    private int _lookups;

    public int Lookups => _lookups;

    public FixedResolver Set(string name, params string[] addresses)
    {
        _names[name] = addresses.Select(IPAddress.Parse).ToArray();
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
    {
        Interlocked.Increment(ref _lookups);
        return _names.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
