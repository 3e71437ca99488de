using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Prism.Security.Configuration;
using Prism.Security.Tokens;

namespace Prism.Security.Tests;

/// <summary>Settings declarations, defaults and start-up validation messages.</summary>
public sealed class SecuritySettingsTests
{
    private static OptionsValidationException StartFails(params (string Key, string Value)[] values)
    {
        using var services = SecurityHarness.BuildServices(values.ToDictionary(v => v.Key, v => (string?)v.Value), TimeProvider.System);
        return Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SecurityOptions>>().Value);
    }

    [Fact]
    public void EverySetting_IsListed_WithAUniqueSecurityKeyAndVariable()
    {
        Assert.Equal(18, SecuritySettings.All.Count);
        Assert.All(SecuritySettings.All, s => Assert.StartsWith("security:", s.Key, StringComparison.Ordinal));
        Assert.All(SecuritySettings.All, s => Assert.StartsWith("PRISM_", s.EnvironmentVariable, StringComparison.Ordinal));
        Assert.Equal(SecuritySettings.All.Count, SecuritySettings.All.Select(s => s.Key).Distinct().Count());
        Assert.Equal(SecuritySettings.All.Count, SecuritySettings.All.Select(s => s.EnvironmentVariable).Distinct().Count());
    }

    [Fact]
    public void DefaultValues_ParseToTheDocumentedDefaults()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(SecuritySettings.All.Where(s => s.DefaultValue is not null).Select(s => KeyValuePair.Create(s.Key, s.DefaultValue)))
            .Build();
        var options = new SecurityOptions();
        SecurityOptionsReader.Read(configuration, options);

        Assert.Empty(options.ParseErrors);
        Assert.Equal("http://localhost:5556/dex", options.Issuer);
        Assert.Equal(["prismctl", "prism-admin-ui", "prism-console", "prism-automation", "prism"], options.Audiences);
        Assert.Equal(TimeSpan.FromHours(24), options.JwksRefreshInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), options.JwksRefetchInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), options.ClockSkew);
        Assert.Equal(TimeSpan.FromMinutes(5), options.TokenCacheTtl);
        Assert.Equal(16 * 1024, options.MaxTokenBytes);
        Assert.Equal(["prism:admin"], options.AdminGroups);
        Assert.Empty(options.ClientGroups);
        Assert.True(new SecurityOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void MissingIssuer_FailsStart_NamingKeyAndVariable()
    {
        var e = StartFails((SecuritySettings.Issuer.Key, ""));
        Assert.Contains("'security:oidc_issuer' (PRISM_OIDC_ISSUER) must be set", e.Message, StringComparison.Ordinal);
        Assert.Contains("PRISM_AUTH_DISABLED=true", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingIssuer_IsFine_WhenAuthIsDisabled()
    {
        using var services = SecurityHarness.BuildServices(
            new Dictionary<string, string?> { [SecuritySettings.Issuer.Key] = "", [SecuritySettings.AuthDisabled.Key] = "true" }, TimeProvider.System);
        Assert.True(services.GetRequiredService<IOptions<SecurityOptions>>().Value.AuthDisabled);
    }

    [Theory]
    [InlineData("security:oidc_issuer", "idp.example.com", "PRISM_OIDC_ISSUER", "absolute http or https URL")]
    [InlineData("security:token_cache_ttl", "soon", "PRISM_AUTH_TOKEN_CACHE_TTL", "duration")]
    [InlineData("security:clock_skew", "1h", "PRISM_AUTH_CLOCK_SKEW", "at most 10m")]
    [InlineData("security:max_token_bytes", "-1", "PRISM_AUTH_MAX_TOKEN_BYTES", "positive whole number")]
    [InlineData("security:token_cache_size", "lots", "PRISM_AUTH_TOKEN_CACHE_SIZE", "positive whole number")]
    [InlineData("security:oidc_jwks_refresh_interval", "10s", "PRISM_OIDC_JWKS_REFRESH_INTERVAL", "at least 1m")]
    [InlineData("security:rbac_client_groups", "ci:prism:admin", "PRISM_RBAC_CLIENT_GROUPS", "client=group")]
    [InlineData("security:auth_disabled", "maybe", "PRISM_AUTH_DISABLED", "'true' or 'false'")]
    [InlineData("security:oidc_audience", " , ", "PRISM_OIDC_AUDIENCE", "at least one")]
    public void InvalidValue_FailsStart_NamingKeyAndVariable(string key, string value, string variable, string expected)
    {
        var e = StartFails((key, value));
        Assert.Contains($"'{key}' ({variable})", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MaxTokenBytes_IsConfigurable()
    {
        await using var h = await SecurityHarness.StartAsync(new Dictionary<string, string?> { [SecuritySettings.MaxTokenBytes.Key] = "256" });
        var e = await h.RejectAsync(h.Issuer.MintToken("alice@example.com", ["prism:admin"]));
        Assert.Equal(TokenRejections.TooLarge, e.Code);
    }

    [Fact]
    public void Registration_UsesTryAdd_SoHostsCanReplaceTheValidator()
    {
        var services = new ServiceCollection();
        var replacement = new FixedValidator();
        services.AddSingleton<ITokenValidator>(replacement);
        services.AddPrismSecurity(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        Assert.Same(replacement, provider.GetRequiredService<ITokenValidator>());
    }

    private sealed class FixedValidator : ITokenValidator
    {
        public ValueTask<PrismPrincipal> ValidateAsync(string token, CancellationToken cancellationToken) => ValueTask.FromResult(LocalDeveloper.Principal);
    }
}
