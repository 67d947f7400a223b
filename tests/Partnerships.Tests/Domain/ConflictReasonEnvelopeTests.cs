using System.Text.Json;
using Partnerships.Application.Pipeline;
using Partnerships.Core.Errors;

namespace Partnerships.Tests.Domain;

/// <summary>A 409's reason survives the bounds on echoed input and reaches the envelope and the stored error; no other error gets the key.</summary>
public sealed class ConflictReasonEnvelopeTests
{
    [Fact]
    public void Truncated_details_keep_their_reason()
    {
        var error = ApiError.Conflict("m", ErrorReasons.SurfaceExists,
            Enumerable.Range(0, ApiError.MaxDetails + 5).Select(i => new FieldIssue(new string('f', 500) + i, new string('i', 500))).ToArray());

        Assert.Equal(ApiError.MaxDetails, error.Details.Count);
        Assert.All(error.Details, d =>
        {
            Assert.Equal(ApiError.MaxFieldLength, d.Field.Length);
            Assert.Equal(ApiError.MaxIssueLength, d.Issue.Length);
            Assert.Equal("surface_exists", d.Reason);
        });
    }

    [Fact]
    public void A_conflict_without_details_still_says_its_reason()
    {
        var detail = Assert.Single(ApiError.Conflict("The thing changed", ErrorReasons.ContentHashStale).Details);
        Assert.Equal("content_hash_stale", detail.Reason);
    }

    [Fact]
    public void The_envelope_and_the_stored_error_carry_the_reason_and_omit_the_key_where_there_is_none()
    {
        var conflict = ApiError.Conflict("c", ErrorReasons.NameTaken, new FieldIssue("name", "already exists"));
        var envelope = JsonDocument.Parse(Envelope.Error(conflict, "r")).RootElement;
        Assert.Equal("name_taken", envelope.GetProperty("details")[0].GetProperty("reason").GetString());
        var stored = JsonDocument.Parse(Envelope.StoredError(conflict)).RootElement;
        Assert.Equal("Conflict", stored.GetProperty("code").GetString());
        Assert.Equal("name_taken", stored.GetProperty("details")[0].GetProperty("reason").GetString());

        var badRequest = ApiError.Field("name", "is required");
        Assert.False(JsonDocument.Parse(Envelope.Error(badRequest, "r")).RootElement.GetProperty("details")[0].TryGetProperty("reason", out _));
        Assert.False(JsonDocument.Parse(Envelope.StoredError(badRequest)).RootElement.GetProperty("details")[0].TryGetProperty("reason", out _));
    }
}
