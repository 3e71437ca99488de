using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Prism.Security.Tokens;
using Prism.Testing;
using Prism.Testing.Oidc;

namespace Prism.Security.Tests;

/// <summary>A test OIDC issuer plus the security core configured against it, on a shared fake clock.</summary>
public sealed class SecurityHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private SecurityHarness(TestOidcIssuer issuer, ServiceProvider services, FakeTimeProvider time, CapturedLogs logs)
    {
        Issuer = issuer;
        Services = services;
        Time = time;
        Logs = logs;
    }

    public TestOidcIssuer Issuer { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public CapturedLogs Logs { get; }

    public ITokenValidator Validator => Services.GetRequiredService<ITokenValidator>();

    /// <summary>Starts an issuer and a validator trusting it; <paramref name="settings"/> are configuration keys.</summary>
    public static async Task<SecurityHarness> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var issuer = await TestOidcIssuer.StartAsync(time).WaitAsync(Timeout);
        var values = new Dictionary<string, string?> { [SecuritySettings.Issuer.Key] = issuer.Issuer };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var logs = new CapturedLogs();
        return new SecurityHarness(issuer, BuildServices(values, time, logs), time, logs);
    }

    public static ServiceProvider BuildServices(IReadOnlyDictionary<string, string?> settings, TimeProvider time, CapturedLogs? logs = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddLogging(b => b.AddProvider(logs ?? new CapturedLogs()).SetMinimumLevel(LogLevel.Debug));
        services.AddPrismSecurity(configuration);
        return services.BuildServiceProvider();
    }

    public Task<PrismPrincipal> ValidateAsync(string token) => Validator.ValidateAsync(token, CancellationToken.None).AsTask().WaitAsync(Timeout);

    /// <summary>Validates <paramref name="token"/> expecting a rejection; returns it.</summary>
    public async Task<TokenRejectedException> RejectAsync(string token)
    {
        var rejection = await Assert.ThrowsAsync<TokenRejectedException>(() => ValidateAsync(token));
        Assert.DoesNotContain(token, rejection.Message, StringComparison.Ordinal);
        return rejection;
    }

    /// <summary>Waits until <paramref name="condition"/> holds (for background work), failing after the timeout.</summary>
    public static async Task EventuallyAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Issuer.DisposeAsync().AsTask().WaitAsync(Timeout);
    }
}
