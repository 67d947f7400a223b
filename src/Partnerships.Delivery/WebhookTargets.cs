using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Partnerships.Delivery;

/// <summary>Resolves webhook host names; the system resolver in production, a fixed table in tests (the test machine has no public DNS).</summary>
public interface IWebhookResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

public sealed class SystemWebhookResolver : IWebhookResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>A webhook URL in canonical form: https (or http when private targets are allowed), ASCII host, no userinfo or fragment.</summary>
public sealed record WebhookTarget(Uri Url, string Host, IPAddress? Address);

/// <summary>Delivery refused because the target is not a public address; never retried.</summary>
public sealed class WebhookTargetRefusedException(string message) : Exception(message);

/// <summary>
/// Which webhook URLs the service will call: checked when an operator sets one and again, on every connection, at
/// delivery. The host is normalised (UTS 46) before any check, so that no spelling of a name or an address gets past it.
/// </summary>
public static class WebhookTargets
{
    /// <summary>Top-level names that never lead to the public internet (RFC 6761, 6762 App. G, 7686, 8375, 9476; .internal).</summary>
    private static readonly string[] ReservedTopLevel =
        ["localhost", "local", "internal", "localdomain", "arpa", "test", "invalid", "example", "onion", "alt", "home", "lan", "corp", "intranet", "private"];

    private static readonly (IPNetwork Range, string What)[] V4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "a 'this network' address"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private address"),
        (IPNetwork.Parse("100.64.0.0/10"), "a carrier-grade NAT address"),
        (IPNetwork.Parse("127.0.0.0/8"), "a loopback address"),
        (IPNetwork.Parse("169.254.0.0/16"), "a link-local address"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private address"),
        (IPNetwork.Parse("192.0.0.0/24"), "an IETF protocol assignment"),
        (IPNetwork.Parse("192.0.2.0/24"), "a documentation address (TEST-NET-1)"),
        (IPNetwork.Parse("192.31.196.0/24"), "an AS112 anycast address"),
        (IPNetwork.Parse("192.52.193.0/24"), "an AMT anycast address"),
        (IPNetwork.Parse("192.88.99.0/24"), "a 6to4 relay anycast address"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private address"),
        (IPNetwork.Parse("192.175.48.0/24"), "an AS112 anycast address"),
        (IPNetwork.Parse("198.18.0.0/15"), "a benchmarking address"),
        (IPNetwork.Parse("198.51.100.0/24"), "a documentation address (TEST-NET-2)"),
        (IPNetwork.Parse("203.0.113.0/24"), "a documentation address (TEST-NET-3)"),
        (IPNetwork.Parse("224.0.0.0/4"), "a multicast address"),
        (IPNetwork.Parse("240.0.0.0/4"), "a reserved address (240.0.0.0/4, broadcast included)"),
    ];

    private static readonly (IPNetwork Range, string What, bool EmbedsIPv4)[] V6 =
    [
        (IPNetwork.Parse("::/128"), "the unspecified address", false),
        (IPNetwork.Parse("::1/128"), "a loopback address", false),
        (IPNetwork.Parse("::ffff:0:0/96"), "an IPv4-mapped address", true),
        (IPNetwork.Parse("::ffff:0:0:0/96"), "an IPv4-translated address", true),
        (IPNetwork.Parse("::/96"), "an IPv4-compatible address", true),
        (IPNetwork.Parse("64:ff9b::/96"), "a NAT64 address", true),
        (IPNetwork.Parse("64:ff9b:1::/48"), "a local-use NAT64 address", true),
        (IPNetwork.Parse("100::/64"), "a discard-only address", false),
        (IPNetwork.Parse("2001::/32"), "a Teredo address", false),
        (IPNetwork.Parse("2001:db8::/32"), "a documentation address", false),
        (IPNetwork.Parse("2001::/23"), "an IETF protocol assignment", false),
        (IPNetwork.Parse("3fff::/20"), "a documentation address", false),
        (IPNetwork.Parse("5f00::/16"), "a segment-routing address", false),
        (IPNetwork.Parse("fc00::/7"), "a unique-local address", false),
        (IPNetwork.Parse("fe80::/10"), "a link-local address", false),
        (IPNetwork.Parse("fec0::/10"), "a site-local address", false),
        (IPNetwork.Parse("ff00::/8"), "a multicast address", false),
    ];

    private static readonly IPNetwork GlobalUnicast = IPNetwork.Parse("2000::/3");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    /// <summary>Why <paramref name="ip"/> is not a public address, or null when it is.</summary>
    public static string? AddressProblem(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            foreach (var (range, what) in V4) if (InRange(range, ip)) return $"{ip} is {what} ({range})";
            return null;
        }
        if (ip.AddressFamily != AddressFamily.InterNetworkV6) return $"{ip} is not an IP address";
        if (ip.ScopeId != 0) ip = new IPAddress(ip.GetAddressBytes());
        foreach (var (range, what, embedsIPv4) in V6)
        {
            if (InRange(range, ip)) return $"{ip} is {what} ({range}{(embedsIPv4 ? $", for {new IPAddress(ip.GetAddressBytes()[12..])}" : "")})";
        }
        if (InRange(SixToFour, ip))
        {
            // 6to4 carries an IPv4 address in bits 16-47; a relay would forward to it.
            var inner = new IPAddress(ip.GetAddressBytes()[2..6]);
            return AddressProblem(inner) is { } problem ? $"{ip} is a 6to4 address for {problem}" : null;
        }
        return InRange(GlobalUnicast, ip) ? null : $"{ip} is outside the global unicast range (2000::/3)";
    }

    /// <summary>Prefix match on the bytes (IPNetwork.Contains says no for every IPv4-mapped IPv6 address, even in ::ffff:0:0/96).</summary>
    private static bool InRange(IPNetwork range, IPAddress ip)
    {
        if (range.BaseAddress.AddressFamily != ip.AddressFamily) return false;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        range.BaseAddress.TryWriteBytes(a, out var length);
        ip.TryWriteBytes(b, out _);
        var bits = range.PrefixLength;
        for (var i = 0; i < length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : 0xFF << (8 - bits) & 0xFF;
            if ((a[i] & mask) != (b[i] & mask)) return false;
        }
        return true;
    }

    /// <summary>Why the host name is reserved for internal use, or null.</summary>
    public static string? NameProblem(string asciiHost)
    {
        var labels = asciiHost.Split('.');
        if (labels.Length == 1) return $"'{asciiHost}' is a single-label name, which resolves only inside a local network";
        var top = labels[^1];
        if (top.All(char.IsAsciiDigit) || top.StartsWith("0x", StringComparison.Ordinal)) return $"'{asciiHost}' is neither an IP address nor a host name";
        if (ReservedTopLevel.Contains(top)) return $"'{asciiHost}' is under .{top}, reserved for names that are not on the public internet";
        return null;
    }

    /// <summary>The URL in canonical form, or why it is refused. Checks syntax, scheme, userinfo, the normalised host, names and literal addresses.</summary>
    public static bool TryParse(string? url, bool allowPrivate, out WebhookTarget target, out string? problem)
    {
        target = null!;
        problem = null;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return Fail("is required: an absolute https URL", out problem);
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) return Fail("must be an https URL", out problem);
        if (uri.Scheme != Uri.UriSchemeHttps && !allowPrivate) return Fail("must use https", out problem);
        // Credentials in a URL would be sent to the target, and "https://127.0.0.1:1@evil.example/" misleads whoever reads it.
        var afterScheme = url.IndexOf("://", StringComparison.Ordinal) is var at and >= 0 ? url[(at + 3)..] : url;
        var rawAuthority = afterScheme.IndexOfAny(['/', '\\', '?', '#']) is var end and >= 0 ? afterScheme[..end] : afterScheme;
        if (uri.UserInfo.Length > 0 || rawAuthority.Contains('@', StringComparison.Ordinal))
        {
            return Fail("must not contain a user name or password", out problem);
        }
        if (uri.DnsSafeHost.Contains('%', StringComparison.Ordinal)) return Fail("must not contain an IPv6 zone index", out problem);

        IPAddress? address = null;
        string host;
        if (uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            address = IPAddress.Parse(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host);
            host = address.ToString();
        }
        else if (uri.HostNameType is UriHostNameType.Dns or UriHostNameType.Basic)
        {
            if (!HostNames.TryToAscii(uri.Host, out host, out var hostProblem)) return Fail($"has a host that is not valid: {hostProblem}", out problem);
            // After mapping, "１２７.０.０.１" or "0x7f.1" is an IPv4 address, as a resolver or browser would read it.
            if (Uri.TryCreate($"https://{host}/", UriKind.Absolute, out var again) && again.HostNameType == UriHostNameType.IPv4)
            {
                address = IPAddress.Parse(again.Host);
                host = address.ToString();
            }
        }
        else
        {
            return Fail("has a host that is not valid", out problem);
        }

        if (!allowPrivate)
        {
            if (address is not null && AddressProblem(address) is { } why) return Fail($"must be a public address: {why}", out problem);
            if (address is null && NameProblem(host) is { } reserved) return Fail($"must be a public host name: {reserved}", out problem);
        }
        else if (address is null && host.Split('.')[^1] is var top && (top.All(char.IsAsciiDigit) || top.StartsWith("0x", StringComparison.Ordinal)))
        {
            return Fail($"has a host that is not valid: '{host}' is neither an IP address nor a host name", out problem);
        }

        var authority = address?.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{host}]" : host;
        if (!uri.IsDefaultPort) authority += ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // What is stored is what was checked: System.Uri must not rewrite the host again.
        if (!Uri.TryCreate($"{uri.Scheme}://{authority}{uri.PathAndQuery}", UriKind.Absolute, out var canonical)
            || (canonical.HostNameType == UriHostNameType.IPv6 ? canonical.Host.Trim('[', ']') : canonical.Host) != host
            || canonical.IdnHost.Trim('[', ']') != host)
        {
            return Fail("has a host that is not valid", out problem);
        }
        target = new WebhookTarget(canonical, host, address);
        return true;
    }

    /// <summary>
    /// The set-time check: <see cref="TryParse"/>, then (for a name, unless private targets are allowed) every address the
    /// name resolves to must be public. A name that does not resolve, or not within <paramref name="resolveTimeout"/>, is
    /// accepted: delivery resolves again and refuses it then (see docs/decisions/0011-webhook-targets.md).
    /// </summary>
    public static async Task<(WebhookTarget? Target, string? Problem)> CheckAsync(string? url, bool allowPrivate, IWebhookResolver resolver,
        TimeSpan resolveTimeout, CancellationToken ct = default)
    {
        if (!TryParse(url, allowPrivate, out var target, out var problem)) return (null, problem);
        if (allowPrivate || target.Address is not null) return (target, null);
        IPAddress[] addresses;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(resolveTimeout);
        try
        {
            addresses = await resolver.ResolveAsync(target.Host, timeout.Token);
        }
        catch (SocketException)
        {
            return (target, null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (target, null);
        }
        foreach (var address in addresses)
        {
            if (AddressProblem(address) is { } why) return (null, $"must be a public host: {target.Host} resolves to {why}");
        }
        return (target, null);
    }

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }
}

/// <summary>
/// The "webhooks" HttpClient's connect step: resolve the host itself, check every address, and connect the socket to a
/// checked one. The name is resolved once per connection, here, so a DNS answer that changes after a check (rebinding)
/// cannot lead a delivery elsewhere; TLS still runs over this stream with the URL's host name.
/// </summary>
public sealed class WebhookConnector(IWebhookResolver resolver, WebhookOptions options)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        if (!options.AllowPrivateTargets)
        {
            foreach (var address in addresses)
            {
                if (WebhookTargets.AddressProblem(address) is { } why) throw new WebhookTargetRefusedException($"{host} resolves to {why}");
            }
        }
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var ip = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(ip, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }
}
