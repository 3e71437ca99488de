using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Prism.Hosting.Settings;
using Prism.Testing;

namespace Prism.ControlStore.Tests;

/// <summary>AddPrismControlStore picks the database from configuration.</summary>
public sealed class DatabaseSelectionTests
{
    [Fact]
    public async Task WithoutDatabaseUrl_UsesSqliteUnderPrismHomeData()
    {
        using var home = new TempDirectory();
        await using var services = Build(home.Path, url: null);

        var database = services.GetRequiredService<ControlDatabase>();

        Assert.Equal("sqlite", database.Provider);
        Assert.Equal(Path.Combine(home.Path, "data", "admin.db"), database.Location);
        Assert.IsType<ControlStore>(services.GetRequiredService<IControlStore>());
    }

    [Theory]
    [InlineData("postgres://prism:s3cret@db.internal:6543/admin")]
    [InlineData("Host=db.internal;Port=6543;Database=admin;Username=prism;Password=s3cret")]
    public async Task WithDatabaseUrl_UsesPostgres_AndNeverShowsThePassword(string url)
    {
        using var home = new TempDirectory();
        await using var services = Build(home.Path, url);

        var database = services.GetRequiredService<ControlDatabase>();

        Assert.Equal(("postgres", "postgres://db.internal:6543/admin"), (database.Provider, database.Location));
        Assert.DoesNotContain("s3cret", database.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAMalformedDatabaseUrl_FailsNamingTheSetting_WithoutThePassword()
    {
        using var home = new TempDirectory();
        await using var services = Build(home.Path, "Host=db;Password=s3cret;Bogus Key=1");

        var error = Assert.Throws<InvalidOperationException>(() => services.GetRequiredService<ControlDatabase>());

        Assert.Contains("PRISM_DATABASE_URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.ToString(), StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string home, string? url)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StoreSettings.DatabaseUrl.Key] = url })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton(new PrismHome(home));
        services.AddPrismControlStore(configuration);
        return services.BuildServiceProvider();
    }
}
