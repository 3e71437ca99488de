using System.Globalization;

namespace Prism.Proxy.Bench;

/// <summary>Prints the Markdown tables of a run.</summary>
public static class Report
{
    public static void Header(string backend, int valueBytes, int seconds, int rounds) =>
        Console.WriteLine($"Get/Set, {valueBytes}-byte values, {rounds} × {seconds} s per target (alternating), {Environment.ProcessorCount} CPUs, "
            + $"loopback, client and servers in one process; proxy → {backend} with auth on (OIDC token, validated-token cache).");

    /// <summary>One table per concurrency: the first result is the baseline (direct Redis), the last the proxy.</summary>
    public static void Print(int concurrency, IReadOnlyList<(string Name, PhaseResult Result)> results)
    {
        Console.WriteLine();
        Console.WriteLine($"### {concurrency} concurrent worker{(concurrency == 1 ? "" : "s")}");
        Console.WriteLine();
        Console.WriteLine("| target | ops/s | vs direct | p50 µs | p99 µs | added p50 µs | added p99 µs |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        var direct = results[0].Result;
        foreach (var (name, result) in results)
        {
            Console.WriteLine($"| {name} | {F(result.OpsPerSecond, "N0")} | {F(result.OpsPerSecond / direct.OpsPerSecond, "0.00")} | "
                + $"{F(result.All.PercentileMicros(50), "0")} | {F(result.All.PercentileMicros(99), "0")} | "
                + $"{F(result.All.PercentileMicros(50) - direct.All.PercentileMicros(50), "0")} | {F(result.All.PercentileMicros(99) - direct.All.PercentileMicros(99), "0")} |");
        }

        var proxy = results[^1].Result;
        var ratio = proxy.OpsPerSecond / direct.OpsPerSecond;
        var addedP50 = proxy.All.PercentileMicros(50) - direct.All.PercentileMicros(50);
        Console.WriteLine();
        Console.WriteLine($"Targets (issue 5), proxy vs direct: throughput {F(ratio, "0.00")} (≥ 0.50 {(ratio >= 0.5 ? "✅" : "❌")}), "
            + $"added p50 {F(addedP50, "0")} µs (< 150 µs {(addedP50 < 150 ? "✅" : "❌")}).");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
