namespace Prism.Backends;

/// <summary>The backend's driver lacks a capability the call needs; the proxy answers UNIMPLEMENTED.</summary>
public sealed class BackendCapabilityException(string backendName, string capability)
    : NotSupportedException($"backend '{backendName}' does not support {capability}")
{
    /// <summary>The backend.</summary>
    public string BackendName { get; } = backendName;

    /// <summary>The missing capability, from <see cref="Capabilities"/>.</summary>
    public string Capability { get; } = capability;
}
