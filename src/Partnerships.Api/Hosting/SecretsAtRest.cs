using Partnerships.Application;
using Partnerships.Storage;
using Partnerships.Storage.Secrets;

namespace Partnerships.Api.Hosting;

/// <summary>The secrets-at-rest box and the token-signing key ring it seals.</summary>
public static class SecretsAtRest
{
    public static void AddSecretsAtRest(this IServiceCollection services, HostSettings settings)
    {
        services.AddSingleton(new SecretBox(settings.SecretKey, settings.PreviousSecretKeys));
        services.AddSingleton(sp => new SigningKeyRing(sp.GetRequiredService<Database>(), sp.GetRequiredService<SecretBox>(),
            sp.GetRequiredService<TimeProvider>(), new SigningKeyRingOptions { TokenLifetime = settings.TokenLifetime, Seed = settings.SigningKey }));
    }
}
