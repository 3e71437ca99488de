using System.CommandLine;
using Prism.Admin.V1;

namespace Prism.Cli.Commands;

/// <summary>The field options of <c>namespace create</c> and <c>namespace update</c>; only given options change a field.</summary>
public sealed class NamespaceOptions
{
    private readonly Option<string?> _description = new("--description") { Description = "Description" };
    private readonly Option<string[]> _patterns = new("--pattern") { Description = "Data pattern offered: keyvalue, pubsub (repeatable)" };
    private readonly Option<string[]> _backends = new("--backend") { Description = "Backend of a pattern as pattern=backend, e.g. keyvalue=redis (repeatable)" };
    private readonly Option<string[]> _accessGroups = new("--access-group") { Description = "Group allowed on the data plane (repeatable)" };
    private readonly Option<string[]> _labels = new("--label") { Description = "Label as key=value (repeatable)" };
    private readonly Option<long?> _maxKeys = new("--max-keys") { Description = "Quota: most keys (0: server default)" };
    private readonly Option<long?> _maxValueBytes = new("--max-value-bytes") { Description = "Quota: largest value in bytes (0: server default)" };
    private readonly Option<int?> _maxRequestsPerSecond = new("--max-rps") { Description = "Quota: most requests per second (0: server default)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { _description, _patterns, _backends, _accessGroups, _labels, _maxKeys, _maxValueBytes, _maxRequestsPerSecond })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Writes the given options into <paramref name="ns"/>.</summary>
    public void Apply(ParseResult parse, Namespace ns)
    {
        if (parse.GetValue(_description) is { } description)
        {
            ns.Description = description;
        }

        Replace(parse, _patterns, ns.Patterns);
        Replace(parse, _accessGroups, ns.AccessGroups);
        if (Given(parse, _backends))
        {
            ns.Backends.Clear();
            ns.Backends.Add(Pairs.Parse(parse.GetValue(_backends), "--backend"));
        }

        if (Given(parse, _labels))
        {
            ns.Labels.Clear();
            ns.Labels.Add(Pairs.Parse(parse.GetValue(_labels), "--label"));
        }

        ns.Quotas.MaxValueBytes = parse.GetValue(_maxValueBytes) ?? ns.Quotas.MaxValueBytes;
        ns.Quotas.MaxRequestsPerSecond = parse.GetValue(_maxRequestsPerSecond) ?? ns.Quotas.MaxRequestsPerSecond;
    }

    private static void Replace(ParseResult parse, Option<string[]> option, Google.Protobuf.Collections.RepeatedField<string> field)
    {
        if (Given(parse, option))
        {
            field.Clear();
            field.Add(parse.GetValue(option) ?? []);
        }
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };
}
