using System.Globalization;
using Prism.Backends.LocalServers;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>Support backends under prism dev: started from the installed binaries, independent of the modules.</summary>
public class DevBackendsTests
{
    [Fact]
    public async Task DevUpAndDownRedis_LeavesTheRunningModulesAlone()
    {
        using var prism = WithFreeBackendPorts(new PrismCli());
        prism.Environment["PRISM_ADMIN_PORT"] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await prism.RunAsync("dev", "up", "identity", "admin")).ExitCode);
        var pids = Pids(prism, "identity", "admin");

        var up = await prism.RunAsync("dev", "up", "redis");
        Assert.True(up.ExitCode == 0, up.ToString());
        var down = await prism.RunAsync("dev", "down", "redis");
        Assert.Equal(0, down.ExitCode);

        var status = await prism.RunAsync("dev", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("✅ identity", status.StandardOutput);
        Assert.Contains("✅ admin", status.StandardOutput);
        Assert.Contains("⚪ redis", status.StandardOutput);
        Assert.Equal(pids, Pids(prism, "identity", "admin"));
    }

    [Fact]
    public async Task DevUpBackends_StartRedisPostgresAndNats_WithDataUnderPrismHome_AndTheirWarningLines()
    {
        using var prism = WithFreeBackendPorts(new PrismCli());

        var up = await prism.RunAsync("dev", "up", "redis", "postgres", "nats");

        Assert.True(up.ExitCode == 0, up.ToString());
        foreach (var backend in new[] { "redis", "postgres", "nats" })
        {
            Assert.Contains($"✅ {backend}", up.StandardOutput);
            Assert.True(Directory.Exists(Path.Combine(prism.Home, "data", backend)), backend);
            var log = await File.ReadAllTextAsync(Path.Combine(prism.Home, "logs", backend + ".log"));
            Assert.Contains($"level=WARN msg=\"insecure default active in dev mode\" env=dev dependency={backend} prod_delta=\"", log);
        }

        var status = await prism.RunAsync("dev", "status");
        Assert.Contains("✅ postgres", status.StandardOutput);
        var down = await prism.RunAsync("dev", "down");
        Assert.Contains("stopped postgres", down.StandardOutput);
    }

    [Fact]
    public void MissingServerProgram_NamesTheDebianPackage()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ServerBinary.Find("prism-no-such-server", "prism-no-such-package"));

        Assert.Contains("apt-get install prism-no-such-package", error.Message);
    }

    private static PrismCli WithFreeBackendPorts(PrismCli prism)
    {
        prism.Environment["PRISM_REDIS_URL"] = $"127.0.0.1:{FreePort.Next()}";
        prism.Environment["PRISM_NATS_URL"] = $"nats://127.0.0.1:{FreePort.Next()}";
        prism.Environment["PRISM_POSTGRES_URL"] = $"postgres://prism@127.0.0.1:{FreePort.Next()}/prism";
        return prism;
    }

    private static string Pids(PrismCli prism, params string[] services) =>
        string.Join(",", services.Select(s => File.ReadAllText(Path.Combine(prism.Home, "run", s + ".pid"))));
}
