using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Prism.Testing;

namespace Prism.Identity.Tests;

public sealed class SigningKeyTests
{
    [Fact]
    public async Task TokenMintedBeforeARestart_StillValidatesAgainstTheNewJwks()
    {
        using var home = new TempDirectory();
        string accessToken;
        int port;
        await using (var first = await IdentityServer.StartAsync(home.Path))
        {
            accessToken = (await first.PasswordTokenAsync()).AccessToken!;
            port = first.Port;
        }

        await using var second = await IdentityServer.StartAsync(home.Path, port: port);
        var result = await second.ValidateAsync(accessToken);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(new JsonWebToken(accessToken).Kid, (await KeyIdsAsync(second)).Single());
    }

    [Fact]
    public async Task SigningKeyFiles_AreReadableByTheOwnerOnly()
    {
        using var home = new TempDirectory();
        await using var server = await IdentityServer.StartAsync(home.Path);
        await server.PasswordTokenAsync();

        var files = Directory.GetFiles(Path.Combine(home.Path, "data", "identity", "signing-keys"), "*.pem");

        Assert.Single(files);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(files[0]));
        }
    }

    [Fact]
    public async Task RotationAfterTheConfiguredAge_SignsWithANewKey_AndStillPublishesThePreviousOne()
    {
        using var home = new TempDirectory();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string oldToken;
        int port;
        await using (var first = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time)))
        {
            oldToken = (await first.PasswordTokenAsync()).AccessToken!;
            port = first.Port;
        }

        time.Advance(TimeSpan.FromDays(31));
        await using var second = await IdentityServer.StartAsync(home.Path, services: s => s.AddSingleton<TimeProvider>(time), port: port);
        var newToken = (await second.PasswordTokenAsync()).AccessToken!;

        var kids = await KeyIdsAsync(second);
        Assert.Equal(2, kids.Count);
        Assert.NotEqual(new JsonWebToken(oldToken).Kid, new JsonWebToken(newToken).Kid);
        Assert.Equal(new JsonWebToken(newToken).Kid, kids[0]);
        Assert.Contains(new JsonWebToken(oldToken).Kid, kids);
        // The fake clock is a month ahead of the real one, so only the signature is checked here.
        Assert.True((await second.ValidateAsync(oldToken, validateLifetime: false)).IsValid);
    }

    private static async Task<List<string>> KeyIdsAsync(IdentityServer server)
    {
        using var jwks = JsonDocument.Parse(await server.Http.GetStringAsync(new Uri(server.Issuer + "/keys")).WaitAsync(IdentityServer.Timeout));
        return [.. jwks.RootElement.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()!)];
    }
}
