using Prism.Identity.Configuration;

namespace Prism.Identity.Accounts;

/// <summary>The <c>staticPasswords</c> users of the Dex config, looked up by email or user id.</summary>
public sealed class StaticPasswordDirectory
{
    // Compared against when the email is unknown, so an unknown account costs the same bcrypt work.
    private const string DecoyHash = "$2a$10$8QpQ0ryOBBeRQ/07vnwxq.Sq30tODz8zQaR80IvfdNHbk.Whav70a";

    private readonly Dictionary<string, DexUser> _byEmail;
    private readonly Dictionary<string, DexUser> _byId;

    /// <summary>Creates the directory from <paramref name="config"/>; empty when <c>enablePasswordDB</c> is false.</summary>
    public StaticPasswordDirectory(DexConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Enabled = config.EnablePasswordDb;
        var users = Enabled ? config.Users : [];
        _byEmail = users.ToDictionary(u => u.Email, StringComparer.OrdinalIgnoreCase);
        _byId = users.ToDictionary(u => u.UserId, StringComparer.Ordinal);
    }

    /// <summary>True when <c>enablePasswordDB</c> is set.</summary>
    public bool Enabled { get; }

    /// <summary>The user with <paramref name="userId"/>, or null (also when the user is disabled).</summary>
    public DexUser? FindById(string? userId) => userId is not null && _byId.TryGetValue(userId, out var user) && !user.Disabled ? user : null;

    /// <summary>The ids of the users marked <c>disabled: true</c>: their tokens are refused everywhere.</summary>
    public IReadOnlyList<string> DisabledUserIds => [.. _byId.Values.Where(u => u.Disabled).Select(u => u.UserId)];

    /// <summary>The user whose email and password match, or null. Always performs one bcrypt comparison.</summary>
    public DexUser? Verify(string? email, string? password)
    {
        var user = email is not null && _byEmail.TryGetValue(email.Trim(), out var found) ? found : null;
        var matches = BCrypt.Net.BCrypt.Verify(password ?? "", user?.Hash ?? DecoyHash);
        return matches && user is not null ? user : null;
    }
}
