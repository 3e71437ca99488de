namespace Prism.Backends;

/// <summary>A backend a namespace can bind to.</summary>
/// <param name="Name">Name namespaces use: memstore, sqlite, redis, postgres, nats.</param>
/// <param name="Type">Driver type (same as the name for the built-in ones).</param>
/// <param name="Endpoint">Where it is, without credentials.</param>
/// <param name="Capabilities">What the driver offers, from <see cref="Backends.Capabilities"/>.</param>
public sealed record BackendDefinition(string Name, string Type, string Endpoint, IReadOnlyList<string> Capabilities)
{
    /// <summary>True when the backend offers at least the basic capability of <paramref name="pattern"/>.</summary>
    public bool Supports(string pattern) => Capabilities.Contains(pattern + ".basic");
}
