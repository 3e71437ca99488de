using System.Globalization;
using Microsoft.Extensions.Configuration;
using Prism.Hosting.Settings;
using Prism.Identity;
using Prism.Security;

namespace Prism.Host.Dev;

/// <summary>
/// <c>dev up --tls</c>: sets this process's TLS environment (inherited by every module it starts) from the
/// certificates of <c>prism dev certs</c>, and points the issuer at https. A marker under <c>PRISM_HOME/run</c>
/// lets <c>dev status</c> check the same https URLs; <c>dev up</c> without <c>--tls</c> removes it.
/// Variables the shell already sets are kept.
/// </summary>
public static class DevTls
{
    private const string MarkerName = "dev-tls";

    /// <summary>Applies (<paramref name="tls"/>) or forgets the TLS environment for this <c>dev up</c>.</summary>
    /// <exception cref="ConfigurationException">A setting read to find PRISM_HOME or the identity port is bad.</exception>
    public static void Choose(bool tls)
    {
        var home = Home();
        var marker = Path.Combine(home.RunDirectory, MarkerName);
        if (!tls)
        {
            File.Delete(marker);
            return;
        }

        var certificates = DevCertificates.In(home);
        certificates.Ensure([], force: false);
        File.WriteAllText(marker, certificates.Folder + Environment.NewLine);
        Apply(certificates);
    }

    /// <summary>For <c>dev status</c>: applies the TLS environment when the last <c>dev up</c> used <c>--tls</c>.</summary>
    public static void Resume()
    {
        var home = Home();
        if (File.Exists(Path.Combine(home.RunDirectory, MarkerName)))
        {
            var certificates = DevCertificates.In(home);
            if (certificates.Exist)
            {
                Apply(certificates);
            }
        }
    }

    /// <summary>Sets every TLS variable of <paramref name="certificates"/> and the https issuer, unless the shell set it.</summary>
    public static void Apply(DevCertificates certificates)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        foreach (var (name, value) in certificates.ServerEnvironment())
        {
            SetUnlessGiven(name, value);
        }

        ApplyIssuer(Uri.UriSchemeHttps);
    }

    /// <summary>
    /// Points the identity module and every module validating tokens at the identity's own URL,
    /// <c>scheme://localhost:PORT/dex</c>, unless the shell names an issuer: a second stack on other ports
    /// is then one setting per port (PRISM_IDENTITY_PORT moves the issuer, PRISM_CONSOLE_PORT the console's
    /// registered sign-in callback).
    /// </summary>
    public static void ApplyIssuer(string scheme = "http")
    {
        var configuration = new ConfigurationBuilder().AddPrismSettings(ModuleCatalog.AllSettings).Build();
        var port = ModuleCatalog.All.First(m => m.Name == "identity").ResolveListener(configuration).Port;
        var issuer = IdentitySettings.Issuer.Text(configuration) is { Length: > 0 } given
            ? given
            : string.Create(CultureInfo.InvariantCulture, $"{scheme}://localhost:{port}/dex");
        SetUnlessGiven(IdentitySettings.Issuer.EnvironmentVariable, issuer);
        SetUnlessGiven(SecuritySettings.Issuer.EnvironmentVariable, issuer);
        var consolePort = ModuleCatalog.All.First(m => m.Name == "console").ResolveListener(configuration).Port;
        SetUnlessGiven(IdentitySettings.ConsoleUrl.EnvironmentVariable, string.Create(CultureInfo.InvariantCulture, $"{scheme}://localhost:{consolePort}"));
    }

    private static PrismHome Home() => PrismHome.From(new ConfigurationBuilder().AddPrismSettings(ModuleCatalog.AllSettings).Build());

    private static void SetUnlessGiven(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
