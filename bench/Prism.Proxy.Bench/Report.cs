using System.Globalization;

namespace Prism.Proxy.Bench;

/// <summary>Prints the Markdown tables of a run.</summary>
public static class Report
{
    public static void Header(string backend, int valueBytes, int seconds, int rounds) =>
        Console.WriteLine($"Get/Set, {valueBytes}-byte values, {rounds} × {seconds} s per target (alternating), {Environment.ProcessorCount} CPUs, "
            + $"loopback, client and servers in one process; proxy → {backend} with auth on (OIDC token, validated-token cache).");

    /// <summary>One table per concurrency: the first result is direct Redis, the second the bare gRPC server, the last the proxy.</summary>
    public static void Print(int concurrency, IReadOnlyList<(string Name, PhaseResult Result)> results)
    {
        Console.WriteLine();
        Console.WriteLine($"### {concurrency} concurrent worker{(concurrency == 1 ? "" : "s")}");
        Console.WriteLine();
        Console.WriteLine("| target | ops/s | vs direct | vs bare gRPC | p50 µs | p99 µs | added p50 µs | added p99 µs | CPU µs/op: bench process | redis-server |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var direct = results[0].Result;
        var bare = results[1].Result;
        foreach (var (name, result) in results)
        {
            Console.WriteLine($"| {name} | {F(result.OpsPerSecond, "N0")} | {F(result.OpsPerSecond / direct.OpsPerSecond, "0.00")} | "
                + $"{F(result.OpsPerSecond / bare.OpsPerSecond, "0.00")} | "
                + $"{F(result.All.PercentileMicros(50), "0")} | {F(result.All.PercentileMicros(99), "0")} | "
                + $"{F(result.All.PercentileMicros(50) - direct.All.PercentileMicros(50), "0")} | {F(result.All.PercentileMicros(99) - direct.All.PercentileMicros(99), "0")} | "
                + $"{F(result.ProcessCpu.TotalMicroseconds / result.Operations, "0.0")} | {F(result.RedisCpu.TotalMicroseconds / result.Operations, "0.0")} |");
        }

        var proxy = results[^1].Result;
        var ratio = proxy.OpsPerSecond / bare.OpsPerSecond;
        var addedP50 = proxy.All.PercentileMicros(50) - direct.All.PercentileMicros(50);
        Console.WriteLine();
        var backend = results[^1].Name;
        Prism.Bench.Summary.Line("proxy", $"{backend} vs bare gRPC, {concurrency} caller{(concurrency == 1 ? "" : "s")}", ratio, backend.EndsWith("memstore", StringComparison.Ordinal) ? "≥ 0.95 at 16" : "≥ 0.80 at 16");
        Prism.Bench.Summary.Line("proxy", $"{backend}: added p50 over direct Redis (µs), {concurrency} caller{(concurrency == 1 ? "" : "s")}", addedP50, "< 80 at 1");
        Console.WriteLine($"Targets (issue 15): proxy vs bare gRPC {F(ratio, "0.00")} at this concurrency (≥ 0.8 for redis, ≥ 0.95 for memstore, at 16), "
            + $"added p50 over direct Redis {F(addedP50, "0")} µs (< 80 µs at 1).");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
