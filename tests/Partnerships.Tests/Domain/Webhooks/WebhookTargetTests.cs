using System.Net;
using System.Net.Sockets;
using Partnerships.Delivery;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.Domain.Webhooks;

public sealed class WebhookTargetTests
{
    private static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(5);

    public static TheoryData<string, string> RefusedUrls()
    {
        var data = new TheoryData<string, string>();
        foreach (var (url, reason) in WebhookTargetCases.Refused) data.Add(url, reason);
        return data;
    }

    public static TheoryData<string, string> AcceptedUrls()
    {
        var data = new TheoryData<string, string>();
        foreach (var (url, stored) in WebhookTargetCases.Accepted) data.Add(url, stored);
        return data;
    }

    [Theory]
    [MemberData(nameof(RefusedUrls))]
    public async Task A_url_that_is_not_a_public_https_target_is_refused_with_its_reason(string url, string reason)
    {
        var (target, problem) = await WebhookTargets.CheckAsync(url, allowPrivate: false, WebhookTargetCases.Resolver(), ResolveTimeout);
        Assert.Null(target);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AcceptedUrls))]
    public async Task A_public_https_target_is_accepted_in_canonical_form(string url, string stored)
    {
        var (target, problem) = await WebhookTargets.CheckAsync(url, allowPrivate: false, WebhookTargetCases.Resolver(), ResolveTimeout);
        Assert.Null(problem);
        Assert.Equal(stored, target!.Url.AbsoluteUri);
        // The stored form is a fixed point: checking it again gives it back unchanged.
        Assert.True(WebhookTargets.TryParse(target.Url.AbsoluteUri, false, out var again, out _));
        Assert.Equal(stored, again.Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000/hooks", "http://127.0.0.1:5000/hooks")]
    [InlineData("https://localhost/hooks", "https://localhost/hooks")]
    [InlineData("https://ｌｏｃａｌｈｏｓｔ./hooks", "https://localhost/hooks")]
    [InlineData("http://10.0.0.1/", "http://10.0.0.1/")]
    [InlineData("http://[::1]:8080/", "http://[::1]:8080/")]
    [InlineData("https://internal.partner-one.com/", "https://internal.partner-one.com/")]
    public async Task With_private_targets_allowed_http_and_private_addresses_are_accepted(string url, string stored)
    {
        var (target, problem) = await WebhookTargets.CheckAsync(url, allowPrivate: true, WebhookTargetCases.Resolver(), ResolveTimeout);
        Assert.Null(problem);
        Assert.Equal(stored, target!.Url.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://user:secret@127.0.0.1/", "user name or password")]
    [InlineData("https://127.0.0.1:1@evil.example/", "user name or password")]
    [InlineData("ftp://127.0.0.1/", "https URL")]
    [InlineData("https://1.2.3.4.5/", "neither an IP address nor a host name")]
    [InlineData("https://lo\u200Dcalhost/", "joiner")]
    public async Task With_private_targets_allowed_userinfo_and_malformed_hosts_are_still_refused(string url, string reason)
    {
        var (target, problem) = await WebhookTargets.CheckAsync(url, allowPrivate: true, WebhookTargetCases.Resolver(), ResolveTimeout);
        Assert.Null(target);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_whose_resolution_does_not_answer_in_time_is_accepted_for_delivery_to_check()
    {
        var (target, problem) = await WebhookTargets.CheckAsync("https://slow.partner-one.com/", false, new SilentResolver(), TimeSpan.FromMilliseconds(100));
        Assert.Null(problem);
        Assert.Equal("https://slow.partner-one.com/", target!.Url.AbsoluteUri);
    }

    [Fact]
    public void Public_addresses_pass_the_address_check_and_their_neighbours_in_special_ranges_do_not()
    {
        foreach (var ip in new[] { "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "172.15.255.255", "172.32.0.0",
                     "192.167.255.255", "192.169.0.0", "198.17.255.255", "198.20.0.0", "223.255.255.255", "2606:4700::1", "2a00:1450::1", "2001:200::1" })
        {
            Assert.Null(WebhookTargets.AddressProblem(IPAddress.Parse(ip)));
        }
        foreach (var ip in new[] { "10.0.0.0", "100.64.0.0", "172.16.0.0", "192.168.0.0", "198.18.0.0", "224.0.0.0", "2001:1ff::1", "fdff::1" })
        {
            Assert.NotNull(WebhookTargets.AddressProblem(IPAddress.Parse(ip)));
        }
    }

    [Fact]
    public async Task The_connect_step_refuses_a_name_that_resolves_to_loopback_before_any_socket_connects()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var resolver = new FixedResolver().Set("rebound.partner-one.com", "127.0.0.1");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = new WebhookConnector(resolver, new WebhookOptions { AllowPrivateTargets = false }).ConnectAsync, UseProxy = false,
        });
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"https://rebound.partner-one.com:{port}/"));
        var refused = Assert.IsType<WebhookTargetRefusedException>(error.InnerException);
        Assert.Contains("rebound.partner-one.com resolves to 127.0.0.1 is a loopback address", refused.Message);
        Assert.Equal(1, resolver.Lookups);
        Assert.False(listener.Pending());
    }

    [Fact]
    public async Task The_connect_step_connects_to_the_address_it_resolved_itself()
    {
        // The control for the test above: the same step, allowed to, reaches the listener through the tests' resolver.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var resolver = new FixedResolver().Set("rebound.partner-one.com", "127.0.0.1");
        using var client = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = new WebhookConnector(resolver, new WebhookOptions { AllowPrivateTargets = true }).ConnectAsync, UseProxy = false,
        });
        using var cancel = new CancellationTokenSource();
        var request = client.GetAsync($"http://rebound.partner-one.com:{port}/", cancel.Token);
        using var accepted = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(accepted.Connected);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
    }

    private sealed class SilentResolver : IWebhookResolver
    {
        public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct)
        {
            await Task.Delay(Timeout.Infinite, ct);
            return [];
        }
    }
}
