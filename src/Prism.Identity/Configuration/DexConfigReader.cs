using Prism.Hosting.Settings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Prism.Identity.Configuration;

/// <summary>
/// Reads a Dex-format <c>config.yaml</c>. Every problem is reported as a <see cref="DexConfigException"/>
/// naming the file, the line and the key, for example
/// <c>identity config /x/config.yaml line 14: staticPasswords[0].hash is not a bcrypt hash</c>.
/// </summary>
public static class DexConfigReader
{
    /// <summary>The <see cref="DexConfig.Source"/> of the configuration shipped in the assembly.</summary>
    public const string BuiltInSource = "built-in";

    private const string BuiltInResource = "Prism.Identity.Defaults.dex-config.yaml";

    /// <summary>The built-in development configuration (users dev@local.prism and test@local.prism, clients prismctl, prism-admin-ui, prism-console, prism-automation).</summary>
    public static DexConfig ReadBuiltIn()
    {
        using var stream = typeof(DexConfigReader).Assembly.GetManifestResourceStream(BuiltInResource)
            ?? throw new InvalidOperationException($"Embedded resource {BuiltInResource} is missing.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), BuiltInSource);
    }

    /// <summary>The text of the built-in configuration, for handing to a real Dex.</summary>
    public static string BuiltInText()
    {
        using var stream = typeof(DexConfigReader).Assembly.GetManifestResourceStream(BuiltInResource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads the file at <paramref name="path"/>.</summary>
    public static DexConfig ReadFile(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new DexConfigException(full, 0, $"file does not exist (named by {IdentitySettings.ConfigFile.Display})");
        }

        return Parse(File.ReadAllText(full), full);
    }

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="source"/> names it in error messages.</summary>
    public static DexConfig Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new DexConfigException(source, (int)e.Start.Line, $"YAML syntax error: {(e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ")}", e);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new DexConfigException(source, 1, "the file must be a YAML mapping with at least 'issuer'");
        }

        return new DexConfigParser(source, root).Parse();
    }
}

/// <summary>A Dex configuration file that cannot be used; the one-line message names the file, line and key.</summary>
public sealed class DexConfigException : ConfigurationException
{
    /// <summary>Creates the exception.</summary>
    public DexConfigException(string source, int line, string problem, Exception? inner = null)
        : base($"identity config {source} line {line}: {problem}", inner)
    {
        Source = source;
        Line = line;
    }

    /// <summary>The file path or <see cref="DexConfigReader.BuiltInSource"/>.</summary>
    public new string Source { get; }

    /// <summary>1-based line of the offending key (0 when the file is missing).</summary>
    public int Line { get; }
}
