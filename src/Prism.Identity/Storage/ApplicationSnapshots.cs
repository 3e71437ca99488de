using System.Collections.Concurrent;
using System.Reflection;
using OpenIddict.EntityFrameworkCore.Models;

namespace Prism.Identity.Storage;

/// <summary>
/// Copies of client registrations by client id, so a token request does not query the store for a
/// client it saw moments ago. Registrations change only at start (<see cref="ClientRegistrar"/>)
/// through <see cref="PrismApplicationManager"/>, which empties this table; entries also expire after
/// <see cref="Lifetime"/> in case another process edited the database file.
/// </summary>
public sealed class ApplicationSnapshots(TimeProvider time)
{
    /// <summary>How long a copy is served before the store is asked again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    // Scalar columns only: the navigation collections (tokens, authorizations) belong to one context.
    private static readonly PropertyInfo[] Columns = typeof(OpenIddictEntityFrameworkCoreApplication).GetProperties()
        .Where(p => p is { CanRead: true, CanWrite: true } && (p.PropertyType.IsValueType || p.PropertyType == typeof(string)))
        .ToArray();

    private readonly ConcurrentDictionary<string, (OpenIddictEntityFrameworkCoreApplication Copy, DateTimeOffset Expires)> _byClientId = new(StringComparer.Ordinal);

    /// <summary>A fresh, untracked copy of the registration of <paramref name="clientId"/>, or null when none is remembered.</summary>
    internal OpenIddictEntityFrameworkCoreApplication? Find(string clientId)
    {
        if (!_byClientId.TryGetValue(clientId, out var entry))
        {
            return null;
        }

        if (time.GetUtcNow() >= entry.Expires)
        {
            _byClientId.TryRemove(clientId, out _);
            return null;
        }

        return Copy(entry.Copy);
    }

    internal void Remember(OpenIddictEntityFrameworkCoreApplication application)
    {
        if (application.ClientId is { } clientId)
        {
            _byClientId[clientId] = (Copy(application), time.GetUtcNow() + Lifetime);
        }
    }

    /// <summary>Forgets every copy.</summary>
    public void Clear() => _byClientId.Clear();

    private static OpenIddictEntityFrameworkCoreApplication Copy(OpenIddictEntityFrameworkCoreApplication source)
    {
        var copy = new OpenIddictEntityFrameworkCoreApplication();
        foreach (var column in Columns)
        {
            column.SetValue(copy, column.GetValue(source));
        }

        return copy;
    }
}
