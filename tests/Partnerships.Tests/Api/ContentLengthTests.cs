using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Partnerships.Api.Hosting;

namespace Partnerships.Tests.Api;

/// <summary>
/// The Content-Length stage on its own, over real HTTP: a body written without a length is measured when it is small,
/// and streamed when it is large, so no request holds a multi-megabyte body in memory; a HEAD agrees with its GET.
/// </summary>
public sealed class ContentLengthTests : IAsyncLifetime
{
    private WebApplication _app = null!;
    private HttpClient _client = null!;
    private const int Small = 10_000;
    private const int Large = ContentLengthMiddleware.MaxBufferedBytes * 3;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.UseMiddleware<ContentLengthMiddleware>();
        _app.MapMethods("/bytes/{n:int}", ["GET", "HEAD"], async (HttpContext http, int n) =>
        {
            var chunk = new byte[4096];
            for (var written = 0; written < n; written += chunk.Length)
            {
                await http.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, n - written)));
            }
        });
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task A_small_body_without_a_length_is_sent_with_its_length_and_its_head_states_the_same()
    {
        using var get = await _client.GetAsync($"/bytes/{Small}");
        Assert.Equal(Small, get.Content.Headers.ContentLength);
        Assert.Equal(Small, (await get.Content.ReadAsByteArrayAsync()).Length);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/bytes/{Small}"));
        Assert.Equal(Small, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_body_over_the_buffer_limit_streams_whole_and_chunked_and_its_head_still_states_the_exact_length()
    {
        using var get = await _client.GetAsync($"/bytes/{Large}", HttpCompletionOption.ResponseHeadersRead);
        Assert.Null(get.Content.Headers.ContentLength);
        Assert.True(get.Headers.TransferEncodingChunked);
        Assert.Equal(Large, (await get.Content.ReadAsByteArrayAsync()).Length);
        using var head = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/bytes/{Large}"));
        Assert.Equal(200, (int)head.StatusCode);
        Assert.Equal(Large, head.Content.Headers.ContentLength);
    }
}
