using System.Globalization;
using System.Text.Json;

namespace Prism.Cli.Auth;

/// <summary>
/// The token cache file (<c>PRISM_HOME/token</c>): written atomically with mode 0600, and refused
/// when its mode lets anyone but the owner read or write it.
/// </summary>
public sealed class TokenCache(string path)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode NotOwner =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The file.</summary>
    public string Path { get; } = path;

    /// <summary>
    /// The cached token, or null when there is none or it cannot be parsed (it is then replaced on the next login).
    /// Throws <see cref="CliException"/> when the file's permissions are too loose.
    /// </summary>
    public CachedToken? Load()
    {
        if (!File.Exists(Path))
        {
            return null;
        }

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path);
            if ((mode & NotOwner) != 0)
            {
                var octal = Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
                throw new CliException(ExitCodes.Error,
                    $"token cache {Path} has mode {octal}, readable or writable by others; fix it with: chmod 600 {Path}");
            }
        }

        try
        {
            var token = JsonSerializer.Deserialize<CachedToken>(File.ReadAllText(Path), Json);
            return token is { AccessToken.Length: > 0 } ? token : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Replaces the cache atomically: a 0600 temp file in the same folder, then a rename.</summary>
    public void Save(CachedToken token)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        var temp = System.IO.Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $".token.{Guid.NewGuid():N}.tmp"));
        try
        {
            using (var stream = File.Create(temp))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temp, OwnerOnly);
                }

                JsonSerializer.Serialize(stream, token, Json);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>Removes the cache; true when there was one.</summary>
    public bool Delete()
    {
        if (!File.Exists(Path))
        {
            return false;
        }

        File.Delete(Path);
        return true;
    }
}
