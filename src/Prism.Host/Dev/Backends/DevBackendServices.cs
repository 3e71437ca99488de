using System.Globalization;
using Prism.Backends;
using Prism.Backends.Drivers.Nats;
using Prism.Backends.Drivers.Postgres;
using Prism.Backends.Drivers.Redis;
using Prism.Backends.Types;

namespace Prism.Host.Dev.Backends;

/// <summary>
/// The support servers <c>dev up</c> can start: one per registered backend type that runs as a local
/// server, on the port of the type's default instance, so the proxy finds it.
/// </summary>
public static class DevBackendServices
{
    /// <summary>A service per backend type with a local server, in registration order.</summary>
    public static IEnumerable<DevService> From(BackendCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var type in BuiltInBackendTypes.All)
        {
            var spec = catalog.Find(type.Name);
            DevService? service = (type, spec?.Value("url")) switch
            {
                (RedisBackendType, { } url) => new RedisDevService(int.Parse(ConnectionStrings.Redis(url).Split(',')[0].Split(':')[^1], CultureInfo.InvariantCulture)),
                (PostgresBackendType, { } url) => new PostgresDevService(PostgresConnectionString.Parse(url)),
                (NatsBackendType, { } url) => new NatsDevService(new Uri(url.Split(',')[0].Trim()).Port),
                _ => null,
            };
            if (service is not null)
            {
                yield return service;
            }
        }
    }
}
