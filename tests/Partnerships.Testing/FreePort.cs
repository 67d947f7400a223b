using System.Net;
using System.Net.Sockets;

namespace Partnerships.Testing;

public static class FreePort
{
    /// <summary>
    /// A TCP port free on 127.0.0.1 right now: the OS picks one for a listener on port 0, which is then released
    /// for the caller to bind. Another process could take it in between, so callers that can retry should.
    /// </summary>
    public static int Next()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
