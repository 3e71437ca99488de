namespace Prism.Backends.Instances;

/// <summary>Backend instances defined outside the process configuration (the control store).</summary>
public interface IBackendInstanceSource
{
    /// <summary>Every stored instance.</summary>
    Task<IReadOnlyList<BackendInstanceSpec>> ListBackendInstancesAsync(CancellationToken cancellation);

    /// <summary>The stored instance called <paramref name="name"/>, or null.</summary>
    Task<BackendInstanceSpec?> GetBackendInstanceAsync(string name, CancellationToken cancellation);
}
