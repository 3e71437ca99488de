using Microsoft.Extensions.Configuration;
using Prism.Identity.Accounts;
using Prism.Identity.Configuration;
using Prism.Identity.Pages;

namespace Prism.Identity.Tests;

/// <summary>RFC-016 one-click developer sign-in: offered in the dev posture only, and only while the developer identity signs in with its development password.</summary>
public class DeveloperSignInTests
{
    [Fact]
    public void DevPosture_WithTheBuiltInDeveloper_OffersTheButton()
    {
        var directory = new StaticPasswordDirectory(DexConfigReader.ReadBuiltIn());

        Assert.True(DeveloperSignIn.IsOffered(Posture("dev"), directory));
        Assert.Contains("Sign in as dev@local.prism", DeveloperSignIn.Button(Posture("dev"), directory), StringComparison.Ordinal);
        Assert.Equal((DeveloperSignIn.Email, DeveloperSignIn.Password), DeveloperSignIn.Credentials(Posture("dev"), directory, "1", "", ""));
    }

    [Fact]
    public void ProductionPosture_HasNoButton_AndIgnoresTheField()
    {
        var directory = new StaticPasswordDirectory(DexConfigReader.ReadBuiltIn());

        Assert.False(DeveloperSignIn.IsOffered(Posture("production"), directory));
        Assert.Equal("", DeveloperSignIn.Button(Posture("production"), directory));
        Assert.Equal(("someone@example.test", "typed"), DeveloperSignIn.Credentials(Posture("production"), directory, "1", "someone@example.test", "typed"));
    }

    [Fact]
    public void DevPosture_WhenTheFileHasNoDeveloperIdentity_HasNoButton()
    {
        var changed = DexConfigReader.BuiltInText().Replace("dev@local.prism", "someone-else@local.prism", StringComparison.Ordinal);
        var directory = new StaticPasswordDirectory(DexConfigReader.Parse(changed, "test"));

        Assert.False(DeveloperSignIn.IsOffered(Posture("dev"), directory));
        Assert.Equal("", DeveloperSignIn.Button(Posture("dev"), directory));
    }

    private static IConfiguration Posture(string env) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["env"] = env }).Build();
}
