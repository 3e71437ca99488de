namespace Prism.Identity;

/// <summary>Paths of the identity provider's endpoints, the same as Dex's where Dex has one.</summary>
public static class IdentityEndpoints
{
    /// <summary>Every endpoint lives under this path, which is also the issuer's path.</summary>
    public const string BasePath = "/dex";

    /// <summary>OpenID Connect discovery document.</summary>
    public const string Discovery = BasePath + "/.well-known/openid-configuration";

    /// <summary>JSON Web Key Set.</summary>
    public const string Keys = BasePath + "/keys";

    /// <summary>Token endpoint.</summary>
    public const string Token = BasePath + "/token";

    /// <summary>Authorization endpoint and login page.</summary>
    public const string Authorize = BasePath + "/auth";

    /// <summary>Device authorization endpoint (RFC 8628).</summary>
    public const string DeviceCode = BasePath + "/device/code";

    /// <summary>Device verification page.</summary>
    public const string Device = BasePath + "/device";

    /// <summary>Page shown after a device was approved or denied.</summary>
    public const string DeviceDone = BasePath + "/device/done";

    /// <summary>UserInfo endpoint.</summary>
    public const string UserInfo = BasePath + "/userinfo";

    /// <summary>Token revocation (RFC 7009).</summary>
    public const string Revoke = BasePath + "/token/revoke";

    /// <summary>Token introspection (RFC 7662).</summary>
    public const string Introspect = BasePath + "/token/introspect";

    /// <summary>Revocation feed for Prism's validators (ids and subjects only, no tokens).</summary>
    public const string RevocationFeed = BasePath + "/token/revocations";

    /// <summary>Health endpoint: 200 when the store answers.</summary>
    public const string Health = BasePath + "/healthz";
}
