using Microsoft.Extensions.Configuration;
using Prism.Backends.Credentials;
using Prism.Backends.Instances;
using Prism.Hosting.Settings;

namespace Prism.Backends.Types;

/// <summary>
/// One kind of backend (redis, postgres, …), declared once in its driver folder and listed in
/// <see cref="BuiltInBackendTypes"/>. Everything that differs between types lives here: the
/// settings an instance takes, what the type can do, how to connect, and how it shows in traces.
/// </summary>
public abstract class BackendType
{
    /// <summary>Type name instances declare, for example <c>redis</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Capabilities from <see cref="Backends.Capabilities"/> every instance of the type offers.</summary>
    public abstract IReadOnlySet<string> Capabilities { get; }

    /// <summary>The settings an instance takes; secret ones are write-only.</summary>
    public virtual IReadOnlyList<BackendSettingSpec> InstanceSettings => [];

    /// <summary>The OpenTelemetry system attribute of a call to this type; null when nothing is reached over a wire or a file.</summary>
    public virtual TelemetrySystem? Telemetry => null;

    /// <summary>Process settings (<c>PRISM_*</c>) that describe the default instance named after the type.</summary>
    public virtual IReadOnlyList<Setting> ConfigurationSettings => [];

    /// <summary>The instance named after the type, from the process settings.</summary>
    public abstract BackendInstanceSpec DefaultInstance(IConfiguration configuration, PrismHome home);

    /// <summary>Where an instance is, safe to show: no user, password or token.</summary>
    /// <exception cref="BackendSpecException">A setting cannot be read.</exception>
    public abstract string Endpoint(BackendInstanceSpec spec);

    /// <summary>Opens the pooled client(s) of an instance; nothing is dialled until first used.</summary>
    public abstract BackendConnection Open(BackendInstanceSpec spec, BackendContext context);

    /// <summary>
    /// A connection with the instance's own credential that reaches where <paramref name="namespace"/>'s
    /// data lives, or null when the shared connection reaches every namespace's (the default). A type whose
    /// dynamic mode keeps namespaces apart (PostgreSQL schemas) returns one, for operators' calls.
    /// </summary>
    public virtual BackendConnection? OpenForNamespace(BackendInstanceSpec spec, string @namespace, BackendContext context) => null;

    /// <summary>True when instances can run in dynamic credential mode: the connection offers a <see cref="BackendConnection.Credentials"/> source and <see cref="OpenAs"/> works.</summary>
    public virtual bool IssuesCredentials => false;

    /// <summary>A connection to the instance that authenticates as one session's <paramref name="credential"/> and reaches only its namespace's data.</summary>
    /// <exception cref="NotSupportedException">The type cannot issue credentials.</exception>
    public virtual BackendConnection OpenAs(BackendInstanceSpec spec, SessionCredential credential, BackendContext context) =>
        throw new NotSupportedException($"type {Name} cannot issue per-session credentials");

    /// <summary>True when the type offers at least the basic capability of <paramref name="pattern"/>.</summary>
    public bool Supports(string pattern) => Capabilities.Contains(pattern + ".basic");
}

/// <summary>One setting of a backend instance.</summary>
/// <param name="Key">Key in the instance's settings, for example <c>url</c>.</param>
/// <param name="Secret">Write-only: never returned, logged or audited (a URL that may hold a password is secret).</param>
/// <param name="Required">An instance without it is refused.</param>
/// <param name="Description">One sentence for the documentation.</param>
public sealed record BackendSettingSpec(string Key, bool Secret, bool Required, string Description);

/// <summary>The OpenTelemetry attribute naming the system a backend call reaches.</summary>
/// <param name="Attribute"><c>db.system.name</c> or <c>messaging.system</c>.</param>
/// <param name="Name">For example <c>redis</c>, <c>postgresql</c>, <c>nats</c>.</param>
public sealed record TelemetrySystem(string Attribute, string Name);

/// <summary>An instance's settings are wrong for its type; the message names the setting, never its value.</summary>
public sealed class BackendSpecException(string message) : Exception(message);
