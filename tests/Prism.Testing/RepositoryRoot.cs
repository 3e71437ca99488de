namespace Prism.Testing;

/// <summary>Locates files of this repository from a test's output folder.</summary>
public static class RepositoryRoot
{
    /// <summary>The folder that holds Prism.slnx.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Prism.slnx")))
            {
                return dir.FullName;
            }
        }

        // Built with a separate artifacts folder: fall back to where the sources were compiled.
        var compiled = typeof(RepositoryRoot).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return compiled is not null && File.Exists(System.IO.Path.Combine(compiled, "Prism.slnx"))
            ? System.IO.Path.GetFullPath(compiled)
            : throw new InvalidOperationException("Prism.slnx not found above " + AppContext.BaseDirectory);
    }
}
