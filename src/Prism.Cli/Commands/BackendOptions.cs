using System.CommandLine;
using Prism.Admin.V1;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary>
/// The field options of <c>backend create</c> and <c>backend update</c>. Like the namespace options they
/// add or remove one item each. Secrets are write-only: given on the command line, from an environment
/// variable or from stdin, and never printed (not even in error messages).
/// </summary>
public sealed class BackendOptions
{
    private readonly Option<string?> _type;
    private readonly Option<string?> _description = new("--description") { Description = "Description" };
    private readonly Option<string[]> _settings = new("--setting") { Description = "Add or replace a non-secret setting as key=value, e.g. path=/var/lib/prism/kv.db (repeatable)" };
    private readonly Option<string[]> _secrets = new("--secret") { Description = "Set a secret setting as key=value, e.g. url=redis://user:pass@host:6379 (repeatable; visible in shell history: prefer the two below)" };
    private readonly Option<string[]> _secretsFromEnvironment = new("--secret-from-env") { Description = "Set a secret from an environment variable as key=VARIABLE (repeatable)" };
    private readonly Option<string?> _secretFromStdin = new("--secret-stdin") { Description = "Set the secret with this key from stdin (or a prompt on a terminal)" };
    private readonly Option<string[]> _labels = new("--label") { Description = "Add or replace a label as key=value (repeatable)" };
    private readonly Option<string[]> _removeSettings = new("--remove-setting") { Description = "Remove a setting (repeatable)" };
    private readonly Option<string[]> _removeSecrets = new("--remove-secret") { Description = "Remove a stored secret (repeatable)" };
    private readonly Option<string[]> _removeLabels = new("--remove-label") { Description = "Remove the label with this key (repeatable)" };

    /// <summary>Creates the options; <c>--type</c> is required when creating.</summary>
    public BackendOptions(bool update)
    {
        Update = update;
        _type = new Option<string?>("--type") { Description = "Backend type (driver): memstore, sqlite, redis, postgres, nats, ...", Required = !update };
    }

    /// <summary>Whether these are the options of <c>update</c> (with the removing ones).</summary>
    public bool Update { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _type, _description, _settings, _secrets, _secretsFromEnvironment, _secretFromStdin, _labels })
        {
            command.Options.Add(option);
        }

        if (Update)
        {
            foreach (var option in new Option[] { _removeSettings, _removeSecrets, _removeLabels })
            {
                command.Options.Add(option);
            }
        }
    }

    /// <summary>
    /// Applies the options to <paramref name="backend"/> (as read, or new). Its <c>secrets</c> end up holding
    /// only the secrets named here: the server keeps every other stored secret, and an empty value removes one.
    /// </summary>
    public async Task ApplyAsync(ParseResult parse, Backend backend, CommandContext context, CancellationToken cancellation)
    {
        backend.Secrets.Clear();
        if (parse.GetValue(_type) is { } type)
        {
            backend.Type = type;
        }

        if (parse.GetValue(_description) is { } description)
        {
            backend.Description = description;
        }

        foreach (var key in parse.GetValue(_removeSettings) ?? [])
        {
            backend.Settings.Remove(key);
        }

        foreach (var key in parse.GetValue(_removeLabels) ?? [])
        {
            backend.Labels.Remove(key);
        }

        backend.Settings.SetAll(Pairs.Parse(parse.GetValue(_settings), "--setting"));
        backend.Labels.SetAll(Pairs.Parse(parse.GetValue(_labels), "--label"));

        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        void Set(string key, string value, string option)
        {
            if (!secrets.TryAdd(key, value))
            {
                throw CliException.Usage($"secret '{key}' is given twice (last by {option})");
            }
        }

        foreach (var key in parse.GetValue(_removeSecrets) ?? [])
        {
            Set(key, "", "--remove-secret");
        }

        foreach (var (key, value) in Pairs.Parse(parse.GetValue(_secrets), "--secret", secret: true))
        {
            Set(key, value, "--secret");
        }

        foreach (var (key, variable) in Pairs.Parse(parse.GetValue(_secretsFromEnvironment), "--secret-from-env"))
        {
            Set(key, context.Environment(variable) is { Length: > 0 } value
                ? value
                : throw CliException.Usage($"environment variable {variable} (--secret-from-env {key}={variable}) is not set or is empty"), "--secret-from-env");
        }

        if (parse.GetValue(_secretFromStdin) is { } stdinKey)
        {
            Set(stdinKey, await ReadSecretAsync(context, stdinKey, cancellation), "--secret-stdin");
        }

        backend.Secrets.Add(secrets);
    }

    private static async Task<string> ReadSecretAsync(CommandContext context, string key, CancellationToken cancellation)
    {
        if (Console.IsInputRedirected)
        {
            var text = await Console.In.ReadToEndAsync(cancellation);
            var value = text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
            return value.Length > 0 ? value : throw CliException.Usage($"--secret-stdin {key}: stdin is empty");
        }

        if (context.Terminal.ErrorIsTerminal)
        {
            return await context.Terminal.Error.PromptAsync(new TextPrompt<string>($"Secret {Markup.Escape(key)}:").Secret(), cancellation);
        }

        throw CliException.Usage($"--secret-stdin {key}: give the secret on stdin");
    }
}
