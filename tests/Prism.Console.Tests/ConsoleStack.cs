using System.Globalization;
using Duende.IdentityModel.Client;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Prism.Admin;
using Prism.Admin.V1;
using Prism.Identity;
using Prism.Identity.Configuration;
using Prism.Interfaces.KeyValue;
using Prism.Proxy;
using Prism.Testing;

namespace Prism.WebConsole.Tests;

/// <summary>
/// The real identity provider, admin control plane, data proxy (for sessions) and console, in this process on free loopback
/// ports with one temporary PRISM_HOME, and a real headless Chromium (Debian's) driven by Playwright.
/// The identity provider runs the built-in development file with the console's redirect URI
/// pointed at this console's port.
/// </summary>
public class ConsoleStack : IAsyncLifetime
{
    public const string Password = "devpass";
    public const string Developer = "dev@local.prism";
    public const string Viewer = "test@local.prism";

    private readonly TempDirectory _home = new("prism-console-tests");
    private readonly List<IAsyncDisposable> _apps = [];
    private IPlaywright? _playwright;

    public string Issuer { get; private set; } = "";

    public string ConsoleUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    public GrpcChannel AdminChannel { get; private set; } = null!;

    public AdminService.AdminServiceClient Admin => new(AdminChannel);

    /// <summary>The control store admin and proxy share.</summary>
    public Prism.ControlStore.IControlStore Store { get; private set; } = null!;

    public GrpcChannel ProxyChannel { get; private set; } = null!;

    /// <summary>Opens a data-plane session of <paramref name="email"/> in <paramref name="namespace"/> (one KeyValue Set through the proxy).</summary>
    public async Task SetThroughProxyAsync(string email, string @namespace)
    {
        var headers = await BearerAsync(email);
        headers.Add("x-prism-namespace", @namespace);
        var client = new KeyValueBasicInterface.KeyValueBasicInterfaceClient(ProxyChannel);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                var reply = await client.SetAsync(new SetRequest { Key = "k", Value = Google.Protobuf.ByteString.CopyFromUtf8("v") }, headers, deadline);
                Assert.True(reply.Success, reply.Error);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                // Another test's maintenance window, until the proxy's next poll of the control state.
                await Task.Delay(50);
            }
        }
    }

    public async Task InitializeAsync()
    {
        var chromium = Chromium.Find();
        var identityPort = FreePort.Next();
        var consolePort = FreePort.Next();
        Issuer = $"http://127.0.0.1:{identityPort}/dex";
        ConsoleUrl = $"http://127.0.0.1:{consolePort}";

        var dexConfig = Path.Combine(_home.Path, "identity-config.yaml");
        await File.WriteAllTextAsync(dexConfig, IdentityConfig(DexConfigReader.BuiltInText()
            .Replace("http://localhost:8090/signin-oidc", ConsoleUrl + "/signin-oidc", StringComparison.Ordinal)));

        _apps.Add(await ModuleApp.StartAsync(new IdentityModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["identity:port"] = identityPort.ToString(CultureInfo.InvariantCulture),
            ["identity:issuer"] = Issuer,
            ["identity:config"] = dexConfig,
        }));
        var admin = await ModuleApp.StartAsync(new AdminModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["admin:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["admin:rate_limit_per_minute"] = "100000",
            ["security:oidc_issuer"] = Issuer,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["backends:health_timeout"] = "3s",
        });
        _apps.Add(admin);
        Store = admin.Services.GetRequiredService<Prism.ControlStore.IControlStore>();
        AdminChannel = GrpcChannel.ForAddress(admin.BaseAddress);
        var proxy = await ModuleApp.StartAsync(new ProxyModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["proxy:port"] = FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["security:oidc_issuer"] = Issuer,
            ["backends:redis:url"] = "127.0.0.1:" + FreePort.Next().ToString(CultureInfo.InvariantCulture),
            ["proxy:session_flush_interval"] = "100ms",
            ["proxy:control_poll_interval"] = "100ms",
            ["proxy:namespace_refresh_interval"] = "100ms",
        });
        _apps.Add(proxy);
        ProxyChannel = GrpcChannel.ForAddress(proxy.BaseAddress);
        _apps.Add(await ModuleApp.StartAsync(new ConsoleModule(), new Dictionary<string, string?>
        {
            ["home"] = _home.Path,
            ["console:port"] = consolePort.ToString(CultureInfo.InvariantCulture),
            ["console:public_url"] = ConsoleUrl,
            ["console:admin_url"] = admin.BaseAddress.ToString(),
            ["security:oidc_issuer"] = Issuer,
        }));

        // No `playwright install`: the NuGet package carries the driver, and the browser is Debian's.
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Timeout = 60_000 });
    }

    /// <summary>The identity provider's Dex config; a derived stack may change it.</summary>
    protected virtual string IdentityConfig(string builtIn) => builtIn;

    /// <summary>A fresh browser context (no cookies) with one page; every wait in it times out after 20 s.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = ConsoleUrl });
        context.SetDefaultTimeout(20_000);
        context.SetDefaultNavigationTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Opens the console and signs in through the identity provider's login form.</summary>
    public async Task<IPage> SignedInPageAsync(string email)
    {
        var page = await NewPageAsync();
        // Signing in is two redirects and a password check (bcrypt): allow for a loaded machine.
        var signIn = new PageWaitForURLOptions { Timeout = 60_000 };
        await page.GotoAsync("/namespaces", new PageGotoOptions { Timeout = 60_000 });
        await page.WaitForURLAsync(url => url.StartsWith(Issuer + "/auth", StringComparison.Ordinal), signIn);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(ConsoleUrl + "/namespaces", signIn);
        return page;
    }

    /// <summary>An access token of <paramref name="email"/> from the same identity provider (prismctl's password grant).</summary>
    public async Task<Metadata> BearerAsync(string email)
    {
        using var http = new HttpClient();
        var response = await http.RequestPasswordTokenAsync(new PasswordTokenRequest
        {
            Address = Issuer + "/token",
            ClientId = "prismctl",
            UserName = email,
            Password = Password,
            Scope = "openid email profile groups",
        }).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(response.IsError, response.Error);
        return new Metadata { { "authorization", "Bearer " + response.AccessToken } };
    }

    /// <summary>Every audit entry matching the filter, read through admin's API as the developer.</summary>
    public async Task<List<AuditLogEntry>> AuditAsync(string operation, string @namespace)
    {
        using var call = Admin.GetAuditLog(new GetAuditLogRequest { Operation = operation, Namespace = @namespace, Limit = 1000 },
            await BearerAsync(Developer), DateTime.UtcNow.AddSeconds(30));
        var entries = new List<AuditLogEntry>();
        await foreach (var entry in call.ResponseStream.ReadAllAsync())
        {
            entries.Add(entry);
        }

        return entries;
    }

    public static string NewNamespaceName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        AdminChannel?.Dispose();
        ProxyChannel?.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        _home.Dispose();
    }
}

/// <summary>Browser tests share one stack and one Chromium, and run one after the other.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleStackCollection : ICollectionFixture<ConsoleStack>
{
    public const string Name = "console stack";
}

/// <summary>Finds Debian's Chromium on PATH.</summary>
internal static class Chromium
{
    public static string Find()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return path.SelectMany(dir => new[] { "chromium", "chromium-browser" }.Select(name => Path.Combine(dir, name))).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException(
                "Chromium is not on PATH. The console's browser tests use Debian's Chromium: install the Debian package 'chromium' (scripts/install-deps.sh does).");
    }
}
