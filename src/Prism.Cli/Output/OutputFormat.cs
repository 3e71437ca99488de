namespace Prism.Cli.Output;

/// <summary>How results are printed (<c>--output</c>).</summary>
public enum OutputFormat
{
    /// <summary>Readable tables (default).</summary>
    Table,

    /// <summary>JSON with the proto field names (snake_case), for scripts.</summary>
    Json,

    /// <summary>YAML with the same field names as JSON.</summary>
    Yaml,
}
