using System.CommandLine;
using System.Text.Json.Nodes;
using Prism.Cli.Auth;
using Prism.Cli.Output;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary><c>login</c>, <c>logout</c> and <c>whoami</c>.</summary>
public static class AuthCommands
{
    /// <summary>The three commands.</summary>
    public static IEnumerable<Command> Create() => [Login(), Logout(), WhoAmI()];

    private static Command Login()
    {
        var device = new Option<bool>("--device") { Description = "Device code flow: open a URL, enter a code, sign in" };
        var password = new Option<bool>("--password") { Description = "Password grant (local development); the password is read from stdin or prompted" };
        var clientCredentials = new Option<bool>("--client-credentials") { Description = "Client credentials of PRISM_CLIENT_ID/PRISM_CLIENT_SECRET" };
        var user = new Option<string?>("--username") { Description = "User of --password (default: the configured developer identity)" };
        var command = new Command("login", "Log in and cache the token (default: as the credential order picks)") { device, password, clientCredentials, user };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var chosen = new[] { (parse.GetValue(device), LoginMethod.Device), (parse.GetValue(password), LoginMethod.Password), (parse.GetValue(clientCredentials), LoginMethod.ClientCredentials) }
                .Where(c => c.Item1).Select(c => c.Item2).ToList();
            if (chosen.Count > 1)
            {
                throw CliException.Usage("choose one of --device, --password, --client-credentials");
            }

            var method = chosen.Count == 1 ? chosen[0] : LoginMethod.Automatic;
            string? userName = null, secret = null;
            if (method == LoginMethod.Password)
            {
                userName = parse.GetValue(user) ?? context.Settings.AutoLoginUser;
                secret = await ReadPasswordAsync(context, userName, cancellation);
            }

            var token = await context.Credentials.LoginAsync(method, cancellation, userName, secret);
            var claims = TokenClaims.Read(token.AccessToken);
            context.Output.Write(new JsonObject
            {
                ["identity"] = claims.Identity,
                ["expires_at"] = Tables.Time(token.ExpiresAt),
                ["token_path"] = context.Credentials.Cache.Path,
            }, () => new Text($"Logged in as {claims.Identity}; the token expires at {Tables.Time(token.ExpiresAt)}.\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static async Task<string> ReadPasswordAsync(CommandContext context, string user, CancellationToken cancellation)
    {
        if (Console.IsInputRedirected)
        {
            var line = await Console.In.ReadLineAsync(cancellation);
            if (!string.IsNullOrEmpty(line))
            {
                return line;
            }
        }
        else if (context.Terminal.ErrorIsTerminal)
        {
            return await context.Terminal.Error.PromptAsync(new TextPrompt<string>($"Password for {Markup.Escape(user)}:").Secret(), cancellation);
        }

        return string.Equals(user, context.Settings.AutoLoginUser, StringComparison.OrdinalIgnoreCase)
            ? context.Settings.AutoLoginPassword
            : throw CliException.Usage($"give the password of {user} on stdin");
    }

    private static Command Logout()
    {
        var command = new Command("logout", "Revoke the refresh token at the issuer and remove the token cache");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var cache = context.Credentials.Cache;
            var token = cache.Load();
            if (token is null)
            {
                cache.Delete();
                context.Output.Write(new JsonObject { ["logged_out"] = false }, () => new Text("Not logged in.\n"));
                return ExitCodes.Ok;
            }

            string? warning = null;
            try
            {
                await context.Credentials.Oidc.RevokeAsync(token.RefreshToken ?? token.AccessToken, token.RefreshToken is null ? "access_token" : "refresh_token", cancellation);
            }
            catch (CliException e)
            {
                warning = e.Message;
            }

            cache.Delete();
            if (warning is not null)
            {
                context.Notice($"prismctl: warning: the token was not revoked at the issuer ({warning}); the local cache is removed");
            }

            context.Output.Write(new JsonObject { ["logged_out"] = true, ["revoked"] = warning is null },
                () => new Text($"Logged out; removed {cache.Path}.\n"));
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command WhoAmI()
    {
        var command = new Command("whoami", "Show who the current token stands for: email, groups, roles, expiry");
        command.SetHandler(async (context, _, cancellation) =>
        {
            var token = await context.Credentials.GetAccessTokenAsync(cancellation);
            var claims = TokenClaims.Read(token);
            context.Output.Write(new JsonObject
            {
                ["identity"] = claims.Identity,
                ["email"] = claims.Email,
                ["subject"] = claims.Subject,
                ["client_id"] = claims.ClientId,
                ["issuer"] = claims.Issuer,
                ["groups"] = new JsonArray([.. claims.Groups.Select(g => (JsonNode?)g)]),
                ["roles"] = new JsonArray([.. claims.Roles.Select(r => (JsonNode?)r)]),
                ["permissions"] = new JsonArray([.. claims.Permissions.Select(p => (JsonNode?)p)]),
                ["expires_at"] = claims.ExpiresAt is { } at ? Tables.Time(at) : null,
            }, () => Tables.Fields(
                ("identity", claims.Identity),
                ("email", claims.Email),
                ("client", claims.ClientId),
                ("issuer", claims.Issuer),
                ("groups", Tables.List(claims.Groups)),
                ("roles", Tables.List(claims.Roles)),
                ("permissions", Tables.List(claims.Permissions)),
                ("expires", claims.ExpiresAt is { } at ? Tables.Time(at) : "")));
            return ExitCodes.Ok;
        });
        return command;
    }
}
