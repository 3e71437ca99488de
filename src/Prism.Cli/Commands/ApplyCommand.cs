using System.CommandLine;
using Grpc.Core;
using Prism.Admin.V1;
using Prism.Manifests;
using Spectre.Console;

namespace Prism.Cli.Commands;

/// <summary>
/// <c>apply -f FILE</c> (also <c>namespace apply</c>): reads manifest files, checks them locally and sends
/// one ApplyRequest, which the server applies in one transaction or not at all. A file with any error
/// sends nothing.
/// </summary>
internal static class ApplyCommand
{
    /// <summary>The <c>apply</c> command (a new instance for each place it is added).</summary>
    public static Command Create()
    {
        var files = new Option<string[]>("--filename", "-f")
        {
            Description = "Manifest file: YAML documents of kind Backend or Namespace; - reads stdin (repeatable)",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var dryRun = NamespaceCommands.DryRunOption();
        var command = new Command("apply", "Create or update the backends and namespaces of manifest files: all of them, or none") { files, dryRun };
        command.SetHandler(async (context, parse, cancellation) =>
        {
            var inputs = await ReadAsync(parse.GetValue(files) ?? [], cancellation);
            var read = ManifestReader.Read(inputs, context.Environment);
            if (read.Manifest is not { } manifest)
            {
                throw CliException.Usage(read.Errors.Select(e => e.ToString()));
            }

            var request = manifest.Request;
            if (request.Backends.Count + request.Namespaces.Count == 0)
            {
                throw CliException.Usage($"no Backend or Namespace documents in {string.Join(", ", inputs.Select(i => i.Source))}");
            }

            request.ValidateOnly = parse.GetValue(dryRun);
            ApplyResponse response;
            try
            {
                response = await context.Admin.CallAsync((c, o) => c.ApplyAsync(request, o), cancellation);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition)
            {
                throw new RpcException(new Grpc.Core.Status(e.StatusCode, Locate(e.Status.Detail, manifest.Origins)), e.Trailers, e.Message);
            }

            var suffix = request.ValidateOnly ? " (dry run)" : "";
            context.Output.Write(response, () => new Text(string.Concat(response.Results.Select(r => $"{r.Kind}/{r.Name} {r.Action}{suffix}\n"))));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Puts the document a server error is about in front of it: the server starts its messages with
    /// <c>namespace 'orders': </c> or <c>backend 'x': </c>.
    /// </summary>
    internal static string Locate(string detail, IReadOnlyDictionary<(string Kind, string Name), string> origins) =>
        ManifestReader.Locate(detail, origins);

    private static async Task<List<ManifestInput>> ReadAsync(string[] paths, CancellationToken cancellation)
    {
        if (paths.Length == 0)
        {
            throw CliException.Usage("give the manifest with -f FILE (or -f - for stdin)");
        }

        if (paths.Count(p => p == "-") > 1)
        {
            throw CliException.Usage("-f - (stdin) may be given once");
        }

        var inputs = new List<ManifestInput>();
        foreach (var path in paths)
        {
            if (path == "-")
            {
                inputs.Add(new ManifestInput("stdin", await Console.In.ReadToEndAsync(cancellation)));
                continue;
            }

            try
            {
                inputs.Add(new ManifestInput(path, await File.ReadAllTextAsync(path, cancellation)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.Usage($"cannot read {path}: {e.Message}");
            }
        }

        return inputs;
    }
}
