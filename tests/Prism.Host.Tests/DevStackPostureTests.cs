namespace Prism.Host.Tests;

/// <summary>The whole local stack as `make dev-up` starts it, and the development warnings it must show.</summary>
public class DevStackPostureTests
{
    [Fact]
    public async Task DevUp_TheWholeStack_EveryModuleAndBackendLogsItsInsecureDefaultLine()
    {
        using var prism = new PrismCli();
        prism.Environment["PRISM_REDIS_URL"] = $"127.0.0.1:{Prism.Testing.FreePort.Next()}";
        prism.Environment["PRISM_NATS_URL"] = $"nats://127.0.0.1:{Prism.Testing.FreePort.Next()}";
        prism.Environment["PRISM_POSTGRES_URL"] = $"postgres://prism@127.0.0.1:{Prism.Testing.FreePort.Next()}/prism";

        var modules = await prism.RunAsync("dev", "up");
        var backends = await prism.RunAsync("dev", "up", "redis", "postgres", "nats");

        Assert.True(modules.ExitCode == 0, modules.ToString());
        Assert.True(backends.ExitCode == 0, backends.ToString());
        var expected = new Dictionary<string, string>
        {
            ["telemetry"] = "telemetry", ["identity"] = "identity", ["admin"] = "admin", ["proxy"] = "proxy", ["console"] = "console",
            ["redis"] = "redis", ["postgres"] = "postgres", ["nats"] = "nats",
        };
        foreach (var (service, dependency) in expected)
        {
            var log = await File.ReadAllTextAsync(Path.Combine(prism.Home, "logs", service + ".log"));
            Assert.True(log.Contains($"level=WARN msg=\"insecure default active in dev mode\" env=dev dependency={dependency} prod_delta=", StringComparison.Ordinal),
                $"{service}.log has no warning line for {dependency}:\n{log}");
        }
    }
}
