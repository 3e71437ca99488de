using System.CommandLine;
using Prism.Cli.Config;
using Prism.Cli.Output;

namespace Prism.Cli.Commands;

/// <summary>Options every command accepts (recursive on the root command).</summary>
public static class GlobalOptions
{
    /// <summary><c>--output</c>/<c>-o</c>.</summary>
    public static readonly Option<string> Output = CreateOutput();

    /// <summary><c>--verbose</c>/<c>-v</c>.</summary>
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "On errors, also print the status code, request id and exception",
        Recursive = true,
    };

    /// <summary><c>--admin-endpoint</c>.</summary>
    public static readonly Option<string?> AdminEndpoint = new("--admin-endpoint")
    {
        Description = $"Admin gRPC endpoint (env {CliEnvironment.AdminEndpoint}, config admin.endpoint; default {CliSettings.DefaultAdminEndpoint})",
        Recursive = true,
    };

    /// <summary><c>--issuer</c>.</summary>
    public static readonly Option<string?> Issuer = new("--issuer")
    {
        Description = $"OIDC issuer (env {CliEnvironment.OidcIssuer}, config auth.oidc.issuer; default {CliSettings.DefaultIssuer})",
        Recursive = true,
    };

    /// <summary><c>--client-id</c>.</summary>
    public static readonly Option<string?> ClientId = new("--client-id")
    {
        Description = $"Public OIDC client (env {CliEnvironment.OidcClientId}, config auth.oidc.client_id; default {CliSettings.DefaultClientId})",
        Recursive = true,
    };

    /// <summary><c>--proxy-endpoint</c>.</summary>
    public static readonly Option<string?> ProxyEndpoint = new("--proxy-endpoint")
    {
        Description = $"Proxy gRPC endpoint checked by 'health' (env {CliEnvironment.ProxyEndpoint}, config proxy.endpoint)",
        Recursive = true,
    };

    /// <summary>All of them, to add to the root command.</summary>
    public static IEnumerable<Option> All => [Output, Verbose, AdminEndpoint, Issuer, ClientId, ProxyEndpoint];

    /// <summary>The chosen output format.</summary>
    public static OutputFormat Format(ParseResult parse) => parse.GetValue(Output) switch
    {
        "json" => OutputFormat.Json,
        "yaml" => OutputFormat.Yaml,
        _ => OutputFormat.Table,
    };

    /// <summary>The setting flags given on the command line.</summary>
    public static SettingFlags Flags(ParseResult parse) => new(
        parse.GetValue(AdminEndpoint),
        parse.GetValue(Issuer),
        parse.GetValue(ClientId),
        parse.GetValue(ProxyEndpoint));

    private static Option<string> CreateOutput()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = "Result format: table, json or yaml",
            Recursive = true,
            DefaultValueFactory = _ => "table",
        };
        option.AcceptOnlyFromAmong("table", "json", "yaml");
        return option;
    }
}
