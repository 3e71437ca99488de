using Prism.Client;
using System.CommandLine;
using Prism.Cli.Auth;
using Prism.Cli.Config;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary>Everything one command invocation uses: settings, consoles, credentials and the admin connection.</summary>
public sealed class CommandContext : IDisposable
{
    private static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(30);
    private AdminConnection? _admin;

    private CommandContext(ParseResult parse, CliSettings settings, Terminal terminal, Func<string, string?> environment)
    {
        Settings = settings;
        Terminal = terminal;
        Environment = environment;
        Output = new ResultWriter(terminal, GlobalOptions.Format(parse));
        Tls = CliTls.From(settings);
        Http = new HttpClient(Tls.CreateHandler()) { Timeout = HttpTimeout };
        Credentials = new Credentials(settings, new TokenCache(settings.TokenPath),
            new OidcClient(Http, settings.Issuer, settings.ClientId, TimeProvider.System), terminal, environment, TimeProvider.System);
    }

    /// <summary>Resolved settings.</summary>
    public CliSettings Settings { get; }

    /// <summary>Consoles.</summary>
    public Terminal Terminal { get; }

    /// <summary>Reads an environment variable.</summary>
    public Func<string, string?> Environment { get; }

    /// <summary>Result printer.</summary>
    public ResultWriter Output { get; }

    /// <summary>Trust and client certificate of every connection.</summary>
    public PrismTls Tls { get; }

    /// <summary>HTTP client for the identity provider and health checks.</summary>
    public HttpClient Http { get; }

    /// <summary>Credential source.</summary>
    public Credentials Credentials { get; }

    /// <summary>The admin connection (opened on first use).</summary>
    public AdminConnection Admin => _admin ??= new AdminConnection(Settings.AdminEndpoint, Credentials, Tls);

    /// <summary>The request id of the last admin call, if any.</summary>
    public string? LastRequestId => _admin?.LastRequestId;

    /// <summary>Creates the context of <paramref name="parse"/> for this process.</summary>
    public static CommandContext Create(ParseResult parse, Terminal terminal, Func<string, string?> environment) =>
        new(parse, CliSettings.Resolve(GlobalOptions.Flags(parse), environment), terminal, environment);

    /// <summary>Writes a notice line on stderr.</summary>
    public void Notice(string text) => Terminal.Error.Profile.Out.Writer.WriteLine(text);

    /// <inheritdoc />
    public void Dispose()
    {
        _admin?.Dispose();
        Http.Dispose();
    }
}
