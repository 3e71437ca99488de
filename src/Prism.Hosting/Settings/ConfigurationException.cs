namespace Prism.Hosting.Settings;

/// <summary>
/// A setting or configuration file that cannot be used. The message is one line that names the key and
/// environment variable (or the file and line), the bad value unless it is secret, and what is accepted;
/// <c>prism</c> prints it without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public class ConfigurationException : Exception
{
    /// <summary>The exit code of a process that stops on a configuration error (usage/config).</summary>
    public const int ExitCode = 2;

    /// <summary>Creates the exception.</summary>
    public ConfigurationException()
    {
    }

    /// <summary>Creates the exception with its one-line message.</summary>
    public ConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and the error that caused it.</summary>
    public ConfigurationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The error for <paramref name="setting"/>: names it, quotes the value (unless secret) and says what is accepted.</summary>
    public static ConfigurationException Invalid(Setting setting, string? value, string expected)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new ConfigurationException($"{setting.Display} must be {expected}; {Got(setting, value)}.");
    }

    /// <summary>How a message shows the value given: quoted, or withheld for a secret.</summary>
    public static string Got(Setting setting, string? value)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return setting.Secret ? "the value given is not shown (secret)" : $"got '{value}'";
    }
}
