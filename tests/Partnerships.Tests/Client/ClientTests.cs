using System.Diagnostics;
using System.Text.Json;
using Partnerships.Client;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The typed client against the live server: every partner route, the retry policy, the controls update loop.</summary>
public abstract class ClientTests(ServerFixture fixture)
{
    private TestServer Server => fixture.Server;

    [Fact]
    public async Task Every_partner_route_has_a_typed_method_that_returns_the_envelope_data_and_headers()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var registration = ClientHarness.Registration(Server);
        var created = await client.RegisterAccountAsync(registration);
        Assert.Equal(201, created.StatusCode);
        Assert.NotNull(created.OperationId);
        Assert.NotNull(created.RequestId);
        var accountId = created.Data.AccountId;
        var again = await client.RegisterAccountAsync(registration);
        Assert.Equal(200, again.StatusCode);
        Assert.Equal(accountId, again.Data.AccountId);

        var account = await client.GetAccountAsync(accountId);
        Assert.Equal(registration.ExternalAccountId, account.Data.ExternalAccountId);
        Assert.Equal("owner@acme-outdoor.example.com", account.Data.ContactEmail);
        Assert.Equal(1610, account.Data.SubVerticalId);
        Assert.Null(account.OperationId);
        var layoutId = Assert.Single(account.Data.Pages).LayoutId;

        var controls = await client.GetMarketplaceControlsAsync(accountId);
        Assert.Equal($"\"{controls.Data.ContentHash}\"", controls.ETag);
        // A new merchant's controls have a name, so the GET's own state goes back as it is.
        Assert.Equal("Acme Outdoor controls", controls.Data.Name);
        Assert.Equal(controls.Data.ContentHash, (await client.PutMarketplaceControlsAsync(accountId, controls.Data.ToUpdate())).Data.ContentHash);
        var put = await client.PutMarketplaceControlsAsync(accountId, controls.Data.ToUpdate() with
        {
            Name = "Acme Network Controls",
            BlockedVerticals = [new BlockedVertical(1500, 1610, Policy.Block)],
            Domains = [new DomainRule("Competitor.Example.COM", Policy.Block)],
        });
        Assert.NotNull(put.OperationId);
        Assert.NotEqual(controls.Data.ContentHash, put.Data.ContentHash);
        Assert.Equal(Policy.Block, Assert.Single(put.Data.BlockedVerticals).Position1Policy);
        Assert.Equal("competitor.example.com", Assert.Single(put.Data.Domains).Domain);
        Assert.Contains(put.Data.EffectiveVerticals, e => e.VerticalId == 1610 && e.Policy == Policy.Block);
        Assert.Equal(1610, Assert.Single(put.Data.TranslatedVerticals).PartnerSubVerticalId);

        Assert.Equal("active", (await client.GetStatusAsync(accountId)).Data.Status);
        var paused = await client.SetStatusAsync(accountId, AccountStatus.Paused);
        Assert.Equal("paused", paused.Data.Status);
        Assert.All(paused.Data.Variants, v => Assert.Equal("paused", v.Status));
        Assert.Equal("paused", (await client.GetStatusAsync(accountId)).Data.Status);

        var pages = await client.AddPagesAsync(accountId, [new PageRequest("returns", "Embedded")]);
        Assert.Equal(201, pages.StatusCode);
        Assert.Equal("returns", Assert.Single(pages.Data.Pages).Surface);

        var layout = await client.GetLayoutAsync(accountId, layoutId);
        var patched = await client.UpdateLayoutAsync(accountId, layoutId, new LayoutUpdate { PrimaryColor = "#ABC", BorderRadius = 12 });
        Assert.Equal("#aabbcc", patched.Data.PrimaryColor);
        Assert.Equal(12, patched.Data.BorderRadius);
        Assert.Equal(layout.Data.TextColor, patched.Data.TextColor);

        Assert.Equal(layoutId, patched.Data.LayoutId);
        Assert.True(patched.Data.Active);

        // The layouts recipe: switch the page to the other type, theme that layout, switch back to the first one.
        var pageId = Assert.Single(account.Data.Pages).PageId;
        var page = await client.GetPageAsync(accountId, pageId);
        Assert.Equal("Overlay", page.Data.LayoutType);
        Assert.Equal(layoutId, page.Data.LayoutId);
        var embedded = await client.SwitchPageLayoutAsync(accountId, pageId, LayoutType.Embedded);
        Assert.NotNull(embedded.OperationId);
        Assert.Equal("Embedded", embedded.Data.LayoutType);
        Assert.Equal(2, embedded.Data.Layouts.Count);
        await client.UpdateLayoutAsync(accountId, embedded.Data.LayoutId, new LayoutUpdate { PrimaryColor = "#010203" });
        var back = await client.SwitchPageLayoutAsync(accountId, pageId, LayoutType.Overlay);
        Assert.Equal(layoutId, back.Data.LayoutId);
        Assert.Equal("#aabbcc", (await client.GetLayoutAsync(accountId, layoutId)).Data.PrimaryColor);
        var left = await client.GetLayoutAsync(accountId, embedded.Data.LayoutId);
        Assert.False(left.Data.Active);
        Assert.Equal("#010203", left.Data.PrimaryColor);

        var operation = await client.GetOperationAsync(put.OperationId!);
        Assert.Equal(OperationStatuses.Completed, operation.Data.Status);
        Assert.Equal(accountId, operation.Data.AccountId);
        Assert.Equal(put.Data.ContentHash, operation.Data.ResponseBody!.Value.GetProperty("data").GetProperty("contentHash").GetString());

        var mappings = await client.ListVerticalMappingsAsync();
        Assert.Contains(mappings.Data, m => m.PartnerVerticalId == 1500 && m.PartnerSubVerticalId == 1610);
    }

    [Fact]
    public async Task Dry_run_variants_answer_like_the_real_write_and_store_nothing()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var layoutId = account.Pages[0].LayoutId;
        var before = await StoreSnapshot.TakeAsync(Server.Database);
        var controls = await client.GetMarketplaceControlsAsync(account.AccountId);

        var dryControls = await client.PutMarketplaceControlsDryRunAsync(account.AccountId,
            controls.Data.ToUpdate() with { Name = "Acme", BlockedVerticals = [new BlockedVertical(1500, 1611, Policy.Block)] });
        var dryStatus = await client.SetStatusDryRunAsync(account.AccountId, AccountStatus.Paused);
        var dryPages = await client.AddPagesDryRunAsync(account.AccountId, [new PageRequest("tracking", "Overlay")]);
        var dryLayout = await client.UpdateLayoutDryRunAsync(account.AccountId, layoutId, new LayoutUpdate { TextColor = "#000" });
        var drySwitch = await client.SwitchPageLayoutDryRunAsync(account.AccountId, account.Pages[0].PageId, LayoutType.Embedded);

        Assert.All(new[] { dryControls.DryRun, dryStatus.DryRun, dryPages.DryRun, dryLayout.DryRun, drySwitch.DryRun }, Assert.True);
        Assert.All(new[] { dryControls.OperationId, dryStatus.OperationId, dryPages.OperationId, dryLayout.OperationId, drySwitch.OperationId }, Assert.Null);
        Assert.Equal("Embedded", drySwitch.Data.LayoutType);
        Assert.NotEqual(controls.Data.ContentHash, dryControls.Data.ContentHash);
        Assert.Equal("paused", dryStatus.Data.Status);
        Assert.Equal(201, dryPages.StatusCode);
        Assert.Equal("#000000", dryLayout.Data.TextColor);
        Assert.Equal(before, await StoreSnapshot.TakeAsync(Server.Database));
    }

    [Fact]
    public async Task A_layout_update_sends_only_the_fields_the_caller_set_and_never_null()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        await client.UpdateLayoutAsync(account.AccountId, account.Pages[0].LayoutId, new LayoutUpdate { CloseButtonColor = "#123456" });
        var patch = handler.Calls.Single(r => r.Method == "PATCH");
        Assert.Equal("""{"closeButtonColor":"#123456"}""", patch.Body);
    }

    [Fact]
    public async Task Every_write_carries_an_idempotency_key_the_callers_own_when_given()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var key = Guid.NewGuid().ToString();
        var paused = await client.SetStatusAsync(account.AccountId, AccountStatus.Paused, key);
        Assert.Equal(key, paused.IdempotencyKey);
        var resumed = await client.SetStatusAsync(account.AccountId, AccountStatus.Active);
        Assert.True(Guid.TryParse(resumed.IdempotencyKey, out _));
        Assert.NotEqual(key, resumed.IdempotencyKey);

        var writes = handler.Calls.Where(r => r.Method != "GET").ToList();
        Assert.Equal(3, writes.Count);
        Assert.All(writes, w => Assert.True(Guid.TryParse(w.IdempotencyKey, out _)));
        Assert.Equal(key, writes[1].IdempotencyKey);
        Assert.All(handler.Calls.Where(r => r.Method == "GET"), r => Assert.Null(r.IdempotencyKey));
    }

    [Fact]
    public async Task A_lost_answer_is_recovered_by_retrying_with_the_same_key_and_getting_the_replay()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var lost = 0;
        handler.LoseAnswer = (r, _) => r.Method == "PUT" && Interlocked.Exchange(ref lost, 1) == 0;

        var paused = await client.SetStatusAsync(account.AccountId, AccountStatus.Paused);

        Assert.True(paused.Replayed);
        Assert.NotNull(paused.OriginalRequestId);
        Assert.Equal("paused", paused.Data.Status);
        var puts = handler.Calls.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(2, puts.Count);
        Assert.Equal(puts[0].IdempotencyKey, puts[1].IdempotencyKey);
        Assert.Equal("paused", (await client.GetStatusAsync(account.AccountId)).Data.Status);
    }

    [Fact]
    public async Task A_503_and_a_429_are_retried_with_the_same_key_after_their_Retry_After()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        handler.Before = (r, _, _) => Task.FromResult(r.Method != "PUT" ? null : handler.Calls.Count(c => c.Method == "PUT") switch
        {
            1 => FaultHandler.Envelope(503, "ServiceUnavailable", retryAfterSeconds: 1),
            2 => FaultHandler.Envelope(429, "RateLimitExceeded", retryAfterSeconds: 1),
            _ => null,
        });

        var watch = Stopwatch.StartNew();
        var paused = await client.SetStatusAsync(account.AccountId, AccountStatus.Paused);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2), $"waited only {watch.Elapsed}");
        Assert.False(paused.Replayed);
        var puts = handler.Calls.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(3, puts.Count);
        Assert.Single(puts.Select(p => p.IdempotencyKey).Distinct());
    }

    [Fact]
    public async Task Network_errors_time_outs_and_409s_for_work_still_in_flight_are_retried_with_the_same_key()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { AttemptTimeout = TimeSpan.FromMilliseconds(1500) });
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        handler.Before = async (r, _, ct) =>
        {
            if (r.Method != "PATCH") return null;
            switch (handler.Calls.Count(c => c.Method == "PATCH"))
            {
                case 1: throw new HttpRequestException("connection refused (injected)");
                case 2: await Task.Delay(TimeSpan.FromSeconds(30), ct); return null;
                case 3:
                    return FaultHandler.Envelope(409, "Conflict", retryAfterSeconds: 0,
                        detailsJson: """[{"field":"Idempotency-Key","issue":"in flight","reason":"idempotency_key_in_flight"}]""");
                case 4:
                    return FaultHandler.Envelope(409, "Conflict",
                        detailsJson: """[{"field":"Idempotency-Key","issue":"another operation is in flight","reason":"operation_in_progress"}]""");
                default: return null;
            }
        };

        var patched = await client.UpdateLayoutAsync(account.AccountId, account.Pages[0].LayoutId, new LayoutUpdate { BorderRadius = 3 });

        Assert.Equal(3, patched.Data.BorderRadius);
        var patches = handler.Calls.Where(r => r.Method == "PATCH").ToList();
        Assert.Equal(5, patches.Count);
        Assert.Single(patches.Select(p => p.IdempotencyKey).Distinct());
    }

    [Theory]
    [InlineData(502, "BadGateway", "provider_refused")]
    [InlineData(503, "ServiceUnavailable", "payout_not_configured")]
    public async Task An_answer_whose_reason_says_retrying_cannot_help_is_thrown_at_once_whatever_its_status(int status, string code, string reason)
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        handler.Before = (r, _, _) => Task.FromResult(r.Method != "POST" || !r.PathAndQuery.EndsWith("/payout-setup", StringComparison.Ordinal) ? null
            : FaultHandler.Envelope(status, code, detailsJson: $$"""[{"field":"","issue":"injected","reason":"{{reason}}"}]"""));

        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.CreatePayoutSetupAsync(account.AccountId,
            new PayoutSetupRequest("https://acme.example.com/done", "https://acme.example.com/retry")));

        Assert.Equal(status, e.StatusCode);
        Assert.True(e.IsFinal);
        Assert.Single(handler.Calls, c => c.PathAndQuery.EndsWith("/payout-setup", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number_of_attempts()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { MaxAttempts = 3 });
        using var _c = client;
        handler.Before = (_, _, _) => Task.FromResult<HttpResponseMessage?>(FaultHandler.Envelope(503, "ServiceUnavailable", retryAfterSeconds: 0));

        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.ListVerticalMappingsAsync());

        Assert.Equal(503, e.StatusCode);
        Assert.Equal("ServiceUnavailable", e.ErrorCode);
        Assert.Equal(TimeSpan.Zero, e.RetryAfter);
        Assert.Equal(3, handler.Calls.Count);
    }

    [Fact]
    public async Task A_400_and_a_422_are_thrown_at_once_with_status_code_message_details_and_request_id()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var controls = (await client.GetMarketplaceControlsAsync(account.AccountId)).Data;

        var unmapped = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.PutMarketplaceControlsAsync(account.AccountId,
            controls.ToUpdate() with { Name = "Acme", BlockedVerticals = [new BlockedVertical(9999, 9998, Policy.Block)] }));
        Assert.Equal(400, unmapped.StatusCode);
        Assert.Equal("BadRequest", unmapped.ErrorCode);
        Assert.Equal("No partnership vertical mapping exists for MCL translation", unmapped.Message);
        Assert.NotEmpty(unmapped.Details);
        Assert.All(unmapped.Details, d => Assert.NotNull(d.Field));
        Assert.True(Guid.TryParse(unmapped.RequestId, out _));
        Assert.NotNull(unmapped.OperationId);
        Assert.Single(handler.Calls, r => r.Method == "PUT");

        var key = Guid.NewGuid().ToString();
        await client.SetStatusAsync(account.AccountId, AccountStatus.Paused, key);
        var reused = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.SetStatusAsync(account.AccountId, AccountStatus.Active, key));
        Assert.Equal(422, reused.StatusCode);
        Assert.Equal("ValidationFailed", reused.ErrorCode);
        Assert.Equal(3, handler.Calls.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Conflicts_are_told_apart_by_their_reason()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);

        var surface = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.AddPagesAsync(account.AccountId, [new PageRequest("confirmation", "Overlay")]));
        Assert.Equal(409, surface.StatusCode);
        Assert.True(surface.HasReason(ErrorReasons.SurfaceExists), string.Join("; ", surface.Details));

        var registration = ClientHarness.Registration(Server);
        await client.RegisterAccountAsync(registration);
        var taken = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.RegisterAccountAsync(registration with { StoreIdentifier = "https://other.example.com" }));
        Assert.True(taken.HasReason(ErrorReasons.ExternalAccountIdTaken), string.Join("; ", taken.Details));

        var controls = (await client.GetMarketplaceControlsAsync(account.AccountId)).Data;
        await client.PutMarketplaceControlsAsync(account.AccountId, controls.ToUpdate() with { Name = "first" });
        var stale = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.PutMarketplaceControlsAsync(account.AccountId, controls.ToUpdate() with { Name = "second" }));
        Assert.True(stale.HasReason(ErrorReasons.ContentHashStale), string.Join("; ", stale.Details));
        Assert.True(stale.IsStaleContentHash);
        Assert.False(stale.IsIdempotencyKeyInFlight);
        // None of these is retried: each was sent once.
        Assert.Equal(1, handler.Calls.Count(r => r.Method == "POST" && r.PathAndQuery.EndsWith("/pages", StringComparison.Ordinal)));
        Assert.Equal(2, handler.Calls.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task Sixteen_concurrent_UpdateControlsAsync_callers_on_one_account_all_succeed_and_lose_no_update()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var start = new TaskCompletionSource();

        var callers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await client.UpdateControlsAsync(account.AccountId, current => current.ToUpdate() with
            {
                Name = "Acme Network Controls",
                Domains = [.. current.Domains, new DomainRule($"caller-{i:00}.example.com", Policy.Block)],
            });
        })).ToList();
        start.SetResult();
        await Task.WhenAll(callers);

        var final = await client.GetMarketplaceControlsAsync(account.AccountId);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => $"caller-{i:00}.example.com"), final.Data.Domains.Select(d => d.Domain).Order());
        // Each round is a new request: no key was sent twice.
        var puts = handler.Calls.Where(r => r.Method == "PUT").ToList();
        Assert.Equal(puts.Count, puts.Select(p => p.IdempotencyKey).Distinct().Count());
        Assert.True(puts.Count >= 16);
    }

    [Fact]
    public async Task UpdateControlsAsync_gives_up_after_its_bound_with_the_stale_hash_conflict()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { MaxControlsUpdateAttempts = 3 });
        using var _c = client;
        var (rival, _) = ClientHarness.NewClient(Server);
        using var _r = rival;
        var account = await client.RegisterAsync(Server);
        var rounds = 0;

        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.UpdateControlsAsync(account.AccountId, current =>
        {
            rounds++;
            // Another writer commits between every read and its PUT.
            var name = $"rival {rounds}";
            Task.Run(() => rival.PutMarketplaceControlsAsync(account.AccountId, current.ToUpdate() with { Name = name })).GetAwaiter().GetResult();
            return current.ToUpdate() with { Name = "mine" };
        }));

        Assert.True(e.IsStaleContentHash);
        Assert.Equal(3, rounds);
        Assert.Equal(3, handler.Calls.Count(r => r.Method == "PUT"));
    }

    [Fact]
    public async Task UpdateControlsAsync_re_applies_the_change_to_the_state_another_writer_committed()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var (rival, _) = ClientHarness.NewClient(Server);
        using var _r = rival;
        var account = await client.RegisterAsync(Server);
        var first = true;

        var result = await client.UpdateControlsAsync(account.AccountId, current =>
        {
            if (first)
            {
                first = false;
                Task.Run(() => rival.PutMarketplaceControlsAsync(account.AccountId, current.ToUpdate() with
                {
                    Name = "rival",
                    BlockedVerticals = [new BlockedVertical(1500, 1611, Policy.Block)],
                })).GetAwaiter().GetResult();
            }
            return current.ToUpdate() with { Name = "mine", BlockedVerticals = [.. current.BlockedVerticals, new BlockedVertical(1500, 1610, Policy.Block)] };
        });

        Assert.Equal([1610L, 1611L], result.Data.BlockedVerticals.Select(b => b.PartnerSubVerticalId).Order());
    }

    [Fact]
    public async Task WaitForOperationAsync_returns_the_terminal_operation_of_a_write()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var account = await client.RegisterAsync(Server);
        var paused = await client.SetStatusAsync(account.AccountId, AccountStatus.Paused);

        var operation = await client.WaitForOperationAsync(paused.OperationId!);

        Assert.True(operation.Data.IsTerminal);
        Assert.Equal(OperationStatuses.Completed, operation.Data.Status);
        Assert.Equal("paused", operation.Data.ResponseBody!.Value.GetProperty("data").GetProperty("status").GetString());
    }

    [Fact]
    public async Task WaitForOperationAsync_keeps_polling_an_operation_in_progress_and_times_out()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { OperationPollInterval = TimeSpan.FromMilliseconds(50) });
        using var _c = client;
        await client.ListVerticalMappingsAsync(); // the token, fetched before the clock starts
        handler.Before = (_, _, _) => Task.FromResult<HttpResponseMessage?>(new HttpResponseMessage(System.Net.HttpStatusCode.OK)
        {
            Content = new StringContent("""
                {"status":200,"error":null,"message":"ok","request_id":"r","data":{"operation_id":"op","type":"payout_setup.create","account_id":"a",
                 "status":"in_progress","created_at":"2026-01-01T00:00:00.000000Z","updated_at":"2026-01-01T00:00:00.000000Z",
                 "response_body":null,"error":null,"side_effects":[]}}
                """, System.Text.Encoding.UTF8, "application/json"),
        });

        await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForOperationAsync("op", TimeSpan.FromMilliseconds(600)));
        Assert.True(handler.Calls.Count - 1 >= 3, $"polled {handler.Calls.Count - 1} times");
    }

    [Fact]
    public async Task A_401_gets_one_new_token_and_one_retry_and_a_second_401_is_thrown()
    {
        var (client, handler) = ClientHarness.NewClient(Server);
        using var _c = client;
        handler.Before = (_, n, _) => Task.FromResult(n == 1 ? FaultHandler.Envelope(401, "Unauthorized") : null);
        var mappings = await client.ListVerticalMappingsAsync();
        Assert.NotEmpty(mappings.Data);
        Assert.Equal(2, handler.TokenRequests);
        Assert.Equal(2, handler.Calls.Count);

        handler.Before = (_, _, _) => Task.FromResult<HttpResponseMessage?>(FaultHandler.Envelope(401, "Unauthorized"));
        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.ListVerticalMappingsAsync());
        Assert.Equal(401, e.StatusCode);
        Assert.Equal(3, handler.TokenRequests);
        Assert.Equal(4, handler.Calls.Count);
    }

    [Fact]
    public async Task A_wrong_client_secret_is_the_token_endpoints_invalid_client_and_is_not_retried()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { ClientSecret = "wrong" });
        using var _c = client;
        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.ListVerticalMappingsAsync());
        Assert.Equal(401, e.StatusCode);
        Assert.Equal("invalid_client", e.ErrorCode);
        Assert.Equal(1, handler.TokenRequests);
        Assert.Empty(handler.Calls);
    }

    [Fact]
    public async Task The_platform_header_is_sent_when_configured_and_a_mismatch_is_a_403_not_retried()
    {
        var (client, handler) = ClientHarness.NewClient(Server, o => o with { PlatformParentAccountId = Server.DemoOne.PlatformParentAccountId });
        using var _c = client;
        Assert.Equal(201, (await client.RegisterAccountAsync(ClientHarness.Registration(Server))).StatusCode);
        Assert.Equal(Server.DemoOne.PlatformParentAccountId, Assert.Single(handler.Calls).PlatformHeader);

        var (wrong, wrongHandler) = ClientHarness.NewClient(Server, o => o with { PlatformParentAccountId = Server.DemoMcc.PlatformParentAccountId });
        using var _w = wrong;
        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => wrong.ListVerticalMappingsAsync());
        Assert.Equal(403, e.StatusCode);
        Assert.Equal("X-Platform-Parent-Account-Id", Assert.Single(e.Details).Field);
        Assert.Single(wrongHandler.Calls);
    }

    [Fact]
    public void The_client_assembly_references_only_the_base_library()
    {
        var references = typeof(PartnershipsClient).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib", name));
    }

    [Fact]
    public async Task An_unknown_account_is_a_404_with_the_envelopes_code_and_request_id()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var e = await Assert.ThrowsAsync<PartnershipsApiException>(() => client.GetAccountAsync("acct_does_not_exist"));
        Assert.Equal(404, e.StatusCode);
        Assert.Equal("NotFound", e.ErrorCode);
        Assert.True(Guid.TryParse(e.RequestId, out _));
        Assert.Null(e.RetryAfter);
    }

    [Fact]
    public async Task A_data_deletion_is_requested_rehearsed_and_waited_for_until_the_background_worker_completes_it()
    {
        var (client, _) = ClientHarness.NewClient(Server);
        using var _c = client;
        var address = $"owner-{Guid.NewGuid():N}@merchant.example.com";
        var accountId = (await client.RegisterAccountAsync(ClientHarness.Registration(Server) with { ContactEmail = address })).Data.AccountId;

        var rehearsal = await client.RequestDataDeletionDryRunAsync(accountId);
        Assert.True(rehearsal.DryRun);
        Assert.Null(rehearsal.OperationId);
        Assert.Equal(address, (await client.GetAccountAsync(accountId)).Data.ContactEmail);

        var queued = await client.RequestDataDeletionAsync(accountId);
        Assert.Equal(202, queued.StatusCode);
        Assert.Equal(OperationStatuses.Pending, queued.Data.Status);
        Assert.Equal(["contact_email"], queued.Data.PersonalFields);
        var done = await client.WaitForOperationAsync(queued.OperationId!, TimeSpan.FromSeconds(30));
        Assert.Equal(OperationStatuses.Completed, done.Data.Status);
        Assert.Equal("account.data_deletion", done.Data.Type);
        Assert.Null((await client.GetAccountAsync(accountId)).Data.ContactEmail);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteClientTests(SqliteServerFixture f) : ClientTests(f);

[Collection(PostgresCollection.Name)]
public sealed class PostgresClientTests(PostgresServerFixture f) : ClientTests(f);
