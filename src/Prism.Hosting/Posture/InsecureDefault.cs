namespace Prism.Hosting.Posture;

/// <summary>
/// A development convenience that must never reach production, such as static passwords
/// or disabled authentication.
/// </summary>
/// <param name="Dependency">What it concerns, for example <c>identity</c> or <c>admin-auth</c>.</param>
/// <param name="Setting">The setting a production deployment has to change, named in the refusal.</param>
/// <param name="ProductionDelta">One sentence: what production does instead.</param>
/// <param name="RefusedInProduction">False for a shortcut production may keep (a plaintext listener on
/// loopback behind a TLS-terminating proxy): it is then only logged in development.</param>
public sealed record InsecureDefault(string Dependency, string Setting, string ProductionDelta, bool RefusedInProduction = true);
