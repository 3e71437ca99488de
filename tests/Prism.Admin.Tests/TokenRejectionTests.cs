using Grpc.Core;
using Prism.Admin.V1;
using Prism.Testing.Oidc;

namespace Prism.Admin.Tests;

/// <summary>Every rejection the security core makes reaches an admin caller as UNAUTHENTICATED with its reason, and is audited.</summary>
public class TokenRejectionTests(AdminServerFixture fixture) : IClassFixture<AdminServerFixture>
{
    public static TheoryData<string> Cases() =>
    [
        "expired", "not-yet-valid", "wrong-audience", "wrong-issuer", "unknown-key", "alg-none", "hmac-with-rsa-key",
        "malformed", "oversized", "email-not-verified", "not-bearer",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadToken_IsUnauthenticated_WithAReason_AndAudited(string kind)
    {
        var server = fixture.Server;
        var requestId = "reject-" + kind;
        var headers = new Metadata { { "request-id", requestId } };
        headers.Add("authorization", kind == "not-bearer" ? "Basic ZGV2OmRldnBhc3M=" : "Bearer " + Token(server.Issuer, kind));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            server.Client.ListNamespacesAsync(new ListNamespacesRequest(), headers, DateTime.UtcNow.AddSeconds(30)).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.Status.Detail));
        Assert.DoesNotContain("eyJ", error.Status.Detail, StringComparison.Ordinal);
        var audit = await AuditOf(server, requestId);
        Assert.Equal("UNAUTHENTICATED", audit.StatusCode);
        Assert.Equal("anonymous", audit.Actor);
        Assert.Equal(error.Status.Detail, audit.Error);
    }

    private static string Token(TestOidcIssuer issuer, string kind) => kind switch
    {
        "expired" => issuer.NewUserToken("x@example.com", ["prism:admin"]).With("exp", DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()).Sign(),
        "not-yet-valid" => issuer.NewUserToken("x@example.com", ["prism:admin"]).With("nbf", DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()).Sign(),
        "wrong-audience" => issuer.MintToken("x@example.com", ["prism:admin"], audience: "someone-else"),
        "wrong-issuer" => issuer.NewUserToken("x@example.com", ["prism:admin"]).With("iss", "https://evil.example.com").Sign(),
        "unknown-key" => SignWith(issuer.NewUserToken("x@example.com", ["prism:admin"]), issuer.CreateUnpublishedKey()),
        "alg-none" => issuer.NewUserToken("x@example.com", ["prism:admin"]).WithHeader("alg", "none").Sign(),
        "hmac-with-rsa-key" => issuer.NewUserToken("x@example.com", ["prism:admin"]).SignWithHmac(issuer.CurrentKey.Modulus).Sign(),
        "malformed" => "not.a.jwt",
        "oversized" => new string('a', 20_000),
        "email-not-verified" => issuer.NewUserToken("x@example.com", ["prism:admin"]).With("email_verified", false).Sign(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static string SignWith(TestJwt jwt, TestSigningKey key)
    {
        jwt.Key = key;
        jwt.WithHeader("kid", key.KeyId);
        return jwt.Sign();
    }

    private static async Task<AuditLogEntry> AuditOf(AdminServer server, string requestId)
    {
        using var call = server.Client.GetAuditLog(new GetAuditLogRequest { Operation = "ListNamespaces", Limit = 1000 },
            AdminServer.Options(server.TokenFor("admin", "auditor@example.com")));
        while (await call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)))
        {
            if (call.ResponseStream.Current.RequestId == requestId)
            {
                return call.ResponseStream.Current;
            }
        }

        throw new Xunit.Sdk.XunitException($"no audit entry with request id {requestId}");
    }
}
