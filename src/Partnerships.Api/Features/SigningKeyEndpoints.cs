using Partnerships.Api.Auth;
using Partnerships.Api.Hosting;
using Partnerships.Application;
using Partnerships.Application.Operators;
using Partnerships.Storage.Stores;

namespace Partnerships.Api.Features;

/// <summary>Operators list and rotate the token-signing keys (never the key material) under /admin/v1/signing-keys.</summary>
public static class SigningKeyEndpoints
{
    public static void MapSigningKeyAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin/v1/signing-keys").AllowAnonymous().AddEndpointFilter<AdminAuthFilter>().WithTags(AdminAuthFilter.Tag)
            .CarriesSecrets();
        admin.MapGet("", async (HttpContext http, SigningKeyRing ring) =>
            EnvelopeResult.Ok(http, (await ring.ListAsync()).Select(r => View(ring, r)).ToList()))
            .WithName("ListSigningKeys").WithSummary("List the token-signing keys (never the key material)").Produces<List<SigningKeyView>>();
        admin.MapPost("/rotate", async (HttpContext http, SigningKeyRing ring) =>
            EnvelopeResult.Ok(http, View(ring, await ring.RotateAsync(AdminAuthFilter.ActorOf(http)))))
            .WithName("RotateSigningKey").WithSummary("Make a new current signing key").Produces<SigningKeyView>();
    }

    private static SigningKeyView View(SigningKeyRing ring, SigningKeyRow r) => SigningKeyView.From(ring, r);
}
