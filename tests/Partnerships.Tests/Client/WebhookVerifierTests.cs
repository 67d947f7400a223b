using Partnerships.Client.Webhooks;
using Partnerships.Tests.Infrastructure;

namespace Partnerships.Tests.ClientLibrary;

/// <summary>The verifier against the Standard Webhooks reference vector and its failure cases.</summary>
public sealed class WebhookVerifierTests
{
    // The reference libraries' vector (standard-webhooks, libraries/*/tests).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = "{\"test\": 2432232314}";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static WebhookVerifier At(long unixSeconds, string secret = Secret) =>
        new(secret, clock: new TestClock(DateTimeOffset.FromUnixTimeSeconds(unixSeconds)));

    private static WebhookVerificationResult Check(WebhookVerifier verifier, string? id = Id, string? timestamp = "1614265330",
        string? signature = Signature, string body = Body) => verifier.Verify(id, timestamp, signature, body);

    [Fact]
    public void The_reference_vector_signs_and_verifies()
    {
        Assert.Equal(Signature, At(Timestamp).Signature(Id, Timestamp, Body));
        Assert.True(Check(At(Timestamp)).IsValid);
        Assert.True(At(Timestamp).Verify(Id, "1614265330", Signature, System.Text.Encoding.UTF8.GetBytes(Body)).IsValid);
    }

    [Fact]
    public void A_secret_without_the_whsec_prefix_verifies_the_same()
    {
        Assert.True(Check(At(Timestamp, "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")).IsValid);
    }

    [Fact]
    public void A_wrong_signature_an_altered_body_or_another_id_fails_as_no_matching_signature()
    {
        var verifier = At(Timestamp);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, Check(verifier, signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLawdd").Failure);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, Check(verifier, body: "{\"test\": 2432232315}").Failure);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, Check(verifier, id: "msg_other").Failure);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, Check(verifier, signature: "v2," + Signature[3..]).Failure);
        Assert.Equal(WebhookVerificationFailure.NoMatchingSignature, Check(verifier, signature: "v1,not base64!").Failure);
    }

    [Fact]
    public void Any_one_of_several_space_separated_signatures_is_enough()
    {
        var several = string.Join(' ', "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
            Signature, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=");
        Assert.True(Check(At(Timestamp), signature: several).IsValid);
    }

    [Fact]
    public void The_timestamp_must_be_within_five_minutes_either_way_by_default()
    {
        Assert.True(Check(At(Timestamp + 300)).IsValid);
        Assert.True(Check(At(Timestamp - 300)).IsValid);
        Assert.Equal(WebhookVerificationFailure.TimestampTooOld, Check(At(Timestamp + 301)).Failure);
        Assert.Equal(WebhookVerificationFailure.TimestampTooNew, Check(At(Timestamp - 301)).Failure);
        var tolerant = new WebhookVerifier(Secret, TimeSpan.FromMinutes(10), new TestClock(DateTimeOffset.FromUnixTimeSeconds(Timestamp + 301)));
        Assert.True(Check(tolerant).IsValid);
    }

    [Fact]
    public void Missing_headers_and_a_timestamp_that_is_not_unix_seconds_are_named()
    {
        var verifier = At(Timestamp);
        Assert.Equal(WebhookVerificationFailure.MissingHeader, Check(verifier, id: null).Failure);
        Assert.Equal(WebhookVerificationFailure.MissingHeader, Check(verifier, timestamp: "").Failure);
        Assert.Equal(WebhookVerificationFailure.MissingHeader, Check(verifier, signature: " ").Failure);
        var bad = Check(verifier, timestamp: "2021-02-25T15:02:10Z");
        Assert.Equal(WebhookVerificationFailure.InvalidTimestamp, bad.Failure);
        Assert.Contains("webhook-timestamp", bad.Message, StringComparison.Ordinal);
        Assert.Equal(WebhookVerificationFailure.InvalidTimestamp, Check(verifier, timestamp: "-5").Failure);
    }

    [Fact]
    public void EnsureValid_throws_with_the_reason_and_a_bad_secret_is_refused_up_front()
    {
        var e = Assert.Throws<WebhookVerificationException>(() => At(Timestamp + 3600).EnsureValid(Id, "1614265330", Signature, Body));
        Assert.Equal(WebhookVerificationFailure.TimestampTooOld, e.Failure);
        At(Timestamp).EnsureValid(Id, "1614265330", Signature, Body);
        Assert.Throws<ArgumentException>(() => new WebhookVerifier("whsec_%%%"));
    }
}
