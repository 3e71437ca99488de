using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Prism.Hosting.Settings;
using Prism.Hosting.Tls;
using Prism.WebConsole.Admin;
using Prism.WebConsole.Auth;

namespace Prism.WebConsole;

/// <summary>Registration of the web console.</summary>
public static class ConsoleServiceCollectionExtensions
{
    /// <summary>
    /// Adds the console: options (checked now, so a bad URL stops start-up naming the setting), sign-in,
    /// antiforgery, the admin channel and the audit pager. Cookie keys persist under
    /// <c>PRISM_HOME/data/console/keys</c>, so a restart signs nobody out.
    /// </summary>
    public static IServiceCollection AddPrismConsole(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = ConsoleOptions.From(configuration);
        services.TryAddSingleton(options);
        var tls = OutboundTls.From(configuration);
        services.TryAddSingleton(tls);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AdminChannel>();
        services.TryAddSingleton<IdentityProbe>();
        services.TryAddSingleton<AuditPager>();
        services.AddDataProtection()
            .SetApplicationName("prism-console")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(PrismHome.From(configuration).DataDirectory, "console", "keys")));
        services.AddConsoleAuthentication(options, tls);
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "prism-console-csrf";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = options.IsHttps
                ? Microsoft.AspNetCore.Http.CookieSecurePolicy.Always
                : Microsoft.AspNetCore.Http.CookieSecurePolicy.None;
        });
        return services;
    }
}
