using System.Globalization;

namespace Prism.Proxy.Bench;

/// <summary>Prints the Markdown table of a run.</summary>
public static class Report
{
    public static void Print(PhaseResult direct, PhaseResult proxy, string backend, int concurrency, int valueBytes, int seconds, int rounds)
    {
        Console.WriteLine($"Get/Set, {concurrency} concurrent workers, {valueBytes}-byte values, {rounds} × {seconds} s per target (alternating), "
            + $"{Environment.ProcessorCount} CPUs, loopback; proxy auth on (OIDC token, validated-token cache).");
        Console.WriteLine();
        Console.WriteLine("| target | op | ops/s | p50 µs | p99 µs |");
        Console.WriteLine("|---|---|---:|---:|---:|");
        Row("direct Redis", "Set+Get", direct.OpsPerSecond, direct.All);
        Row("direct Redis", "Set", double.NaN, direct.Set);
        Row("direct Redis", "Get", double.NaN, direct.Get);
        Row("proxy → " + backend, "Set+Get", proxy.OpsPerSecond, proxy.All);
        Row("proxy → " + backend, "Set", double.NaN, proxy.Set);
        Row("proxy → " + backend, "Get", double.NaN, proxy.Get);
        Console.WriteLine();

        var ratio = proxy.OpsPerSecond / direct.OpsPerSecond;
        var addedP50 = proxy.All.PercentileMicros(50) - direct.All.PercentileMicros(50);
        var addedP99 = proxy.All.PercentileMicros(99) - direct.All.PercentileMicros(99);
        Console.WriteLine("| measure | value | target |");
        Console.WriteLine("|---|---:|---|");
        Console.WriteLine($"| throughput proxy / direct | {F(ratio, "0.00")} | ≥ 0.50 {(ratio >= 0.5 ? "✅" : "❌")} |");
        Console.WriteLine($"| added p50 latency | {F(addedP50, "0")} µs | < 150 µs {(addedP50 < 150 ? "✅" : "❌")} |");
        Console.WriteLine($"| added p99 latency | {F(addedP99, "0")} µs | (reported) |");
    }

    private static void Row(string target, string op, double opsPerSecond, Samples samples) =>
        Console.WriteLine($"| {target} | {op} | {(double.IsNaN(opsPerSecond) ? "" : F(opsPerSecond, "N0"))} | "
            + $"{F(samples.PercentileMicros(50), "0")} | {F(samples.PercentileMicros(99), "0")} |");

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
