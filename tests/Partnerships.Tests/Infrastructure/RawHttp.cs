using System.Net.Sockets;
using System.Text;

namespace Partnerships.Tests.Infrastructure;

/// <summary>One answer read off a raw socket: the status line's code, the headers (repeats kept) and the body.</summary>
public sealed record RawReply(int Status, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();
    public string Text => Encoding.UTF8.GetString(Body);
    public override string ToString() => $"{Status} {Text}";
}

/// <summary>
/// HTTP/1.1 written byte by byte over a TcpClient: what HttpClient will not send (a header repeated on its own line,
/// malformed request lines, a body that lies about its length, plain garbage).
/// </summary>
public static class RawHttp
{
    /// <summary>A request with the given head lines (no trailing CRLF needed) and body; Connection: close is added.</summary>
    public static byte[] Request(string method, string target, IEnumerable<(string Name, string Value)> headers, byte[]? body = null, bool announceLength = true)
    {
        var head = new StringBuilder($"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        if (body is not null && announceLength) head.Append("Content-Length: ").Append(body.Length).Append("\r\n");
        head.Append("\r\n");
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body ?? []];
    }

    /// <summary>
    /// Sends the bytes and reads until the server closes; null when the server closed without answering.
    /// <paramref name="endSending"/> half-closes after sending, for a body shorter than it claims (Kestrel then stops the request).
    /// </summary>
    public static async Task<RawReply?> SendAsync(Uri server, byte[] bytes, TimeSpan? timeout = null, bool endSending = false)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, cts.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(bytes, cts.Token);
            if (endSending) tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server may answer and close before taking everything (an over-limit Content-Length): read what it said.
        }
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int n;
            // Stop at the end of the answer rather than at the close: the server may wait for the rest of a body it never reads.
            while (!Complete(received) && (n = await stream.ReadAsync(buffer, cts.Token)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException) when (received.Length > 0)
        {
        }
        return Parse(received.ToArray());
    }

    private static bool Complete(MemoryStream received)
    {
        var bytes = received.GetBuffer().AsSpan(0, (int)received.Length);
        var end = bytes.IndexOf("\r\n\r\n"u8);
        if (end < 0) return false;
        var head = Encoding.Latin1.GetString(bytes[..end]);
        var length = head.Split("\r\n").Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            .Select(p => (long?)long.Parse(p[1].Trim(), System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();
        if (length is { } l) return bytes.Length - end - 4 >= l;
        if (head.Contains("chunked", StringComparison.OrdinalIgnoreCase)) return bytes.EndsWith("0\r\n\r\n"u8);
        return false;
    }

    private static RawReply? Parse(byte[] response)
    {
        var end = response.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0) return null;
        var lines = Encoding.Latin1.GetString(response, 0, end).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => (l[..l.IndexOf(':')].Trim(), l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        var body = response[(end + 4)..];
        if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && h.Item2.Contains("chunked", StringComparison.OrdinalIgnoreCase)))
        {
            body = Dechunk(body);
        }
        return new RawReply(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        using var output = new MemoryStream();
        var i = 0;
        while (i < chunked.Length)
        {
            var lineEnd = chunked.AsSpan(i).IndexOf("\r\n"u8);
            if (lineEnd < 0) break;
            var sizeText = Encoding.ASCII.GetString(chunked, i, lineEnd).Split(';')[0];
            var size = Convert.ToInt32(sizeText, 16);
            i += lineEnd + 2;
            if (size == 0) break;
            output.Write(chunked, i, Math.Min(size, chunked.Length - i));
            i += size + 2;
        }
        return output.ToArray();
    }
}
