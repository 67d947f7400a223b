using Partnerships.Application.Operators;

namespace Partnerships.Api.Hosting;

public static class OperatorServices
{
    /// <summary>The operator use cases, one per concern; the CLI constructs the same classes on its own store.</summary>
    public static IServiceCollection AddOperatorUseCases(this IServiceCollection services)
    {
        services.AddSingleton<PlatformAdmin>();
        services.AddSingleton<CredentialAdmin>();
        services.AddSingleton<TaxonomyAdmin>();
        services.AddSingleton<MappingAdmin>();
        services.AddSingleton<RelationshipAdmin>();
        services.AddSingleton<AuditAdmin>();
        services.AddSingleton<AdminKeys>();
        services.AddSingleton<DemoSeed>();
        services.AddSingleton<RateLimitSettings>();
        return services;
    }
}
