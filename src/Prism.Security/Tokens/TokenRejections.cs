namespace Prism.Security.Tokens;

/// <summary>
/// Stable codes of <see cref="TokenRejectedException"/> and their client-facing messages.
/// Messages describe the problem, never the token.
/// </summary>
public static class TokenRejections
{
    /// <summary>No token, or only whitespace.</summary>
    public const string Missing = "token_missing";
    /// <summary>Not a compact JWS (three base64url parts with JSON header and payload).</summary>
    public const string Malformed = "token_malformed";
    /// <summary>Longer than the configured limit.</summary>
    public const string TooLarge = "token_too_large";
    /// <summary>Unsigned token (alg none).</summary>
    public const string AlgNone = "alg_none";
    /// <summary>Symmetric HMAC algorithm (HS256/384/512) where only the issuer's asymmetric keys are trusted.</summary>
    public const string AlgHmac = "alg_hmac";
    /// <summary>Any other algorithm outside the asymmetric allow-list.</summary>
    public const string AlgNotAllowed = "alg_not_allowed";
    /// <summary>Signature does not verify with the issuer's key.</summary>
    public const string BadSignature = "bad_signature";
    /// <summary>The header's kid is not in the issuer's key set, even after a refetch.</summary>
    public const string UnknownKid = "unknown_kid";
    /// <summary>No kid while the issuer publishes several keys.</summary>
    public const string MissingKid = "kid_missing";
    /// <summary>iss is not the configured issuer.</summary>
    public const string WrongIssuer = "wrong_issuer";
    /// <summary>aud names none of the accepted audiences.</summary>
    public const string WrongAudience = "wrong_audience";
    /// <summary>exp is in the past (beyond the clock skew).</summary>
    public const string Expired = "token_expired";
    /// <summary>nbf is in the future (beyond the clock skew).</summary>
    public const string NotYetValid = "token_not_yet_valid";
    /// <summary>No exp claim.</summary>
    public const string MissingExpiry = "exp_missing";
    /// <summary>No sub claim.</summary>
    public const string MissingSubject = "sub_missing";
    /// <summary>User token whose email_verified is false.</summary>
    public const string EmailNotVerified = "email_not_verified";
    /// <summary>Keys could never be fetched from the identity provider.</summary>
    public const string IdentityProviderUnreachable = "idp_unreachable";
    /// <summary>Any other validation failure.</summary>
    public const string Invalid = "token_invalid";

    /// <summary>An OpenID Connect ID token (it says who signed in, to the client) presented as a bearer token.</summary>
    public const string IdToken = "id_token_presented";

    /// <summary>Revoked at the identity provider (signed out, revoked grant), or issued before an operator ended the identity's sessions.</summary>
    public const string Revoked = "token_revoked";

    /// <summary>The user is disabled at the identity provider.</summary>
    public const string UserDisabled = "user_disabled";

    /// <summary>The identity provider's revocation feed could not be read for longer than the grace period.</summary>
    public const string RevocationUnknown = "revocation_state_unknown";

    internal static TokenRejectedException Reject(string code, Exception? inner = null) => new(code, MessageOf(code), inner);

    /// <summary>The client-facing message of <paramref name="code"/>.</summary>
    public static string MessageOf(string code) => code switch
    {
        Missing => "no bearer token was presented",
        Malformed => "bearer token is not a well-formed signed JWT",
        TooLarge => "bearer token is larger than the accepted maximum",
        AlgNone => "unsigned tokens (alg 'none') are not accepted",
        AlgHmac => "HMAC-signed tokens (HS256/HS384/HS512) are not accepted: tokens must be signed with the issuer's asymmetric key",
        AlgNotAllowed => "token signing algorithm is not accepted (allowed: RS256/384/512, PS256/384/512, ES256/384/512)",
        BadSignature => "token signature is invalid",
        UnknownKid => "token is signed with a key id the identity provider does not publish",
        MissingKid => "token header has no key id (kid) while the identity provider publishes several keys",
        WrongIssuer => "token was issued by an issuer that is not trusted",
        WrongAudience => "token audience is not accepted",
        Expired => "token has expired",
        NotYetValid => "token is not valid yet (nbf in the future)",
        MissingExpiry => "token has no expiry (exp)",
        MissingSubject => "token has no subject (sub)",
        EmailNotVerified => "token email is not verified (email_verified=false)",
        IdentityProviderUnreachable => "identity provider unreachable and no cached keys",
        Revoked => "token has been revoked (signed out, or access ended by an operator): sign in again",
        UserDisabled => "the user of this token is disabled",
        RevocationUnknown => "revocation state of the identity provider is unknown (its revocation feed cannot be read): tokens are refused until it can",
        IdToken => "this is an ID token: present the access token (access_token of the token response) as the bearer token",
        _ => "token is invalid",
    };
}
