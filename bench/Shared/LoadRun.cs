using System.Diagnostics;

namespace Prism.Bench;

/// <summary>Result of running one operation at a fixed concurrency (shared by the admin and identity benches).</summary>
public sealed record LoadResult(string Name, int Concurrency, long Operations, TimeSpan Elapsed, double P50Micros, double P99Micros, long Errors, TimeSpan Cpu)
{
    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>CPU time of the whole bench process (clients and servers) per request.</summary>
    public double CpuMicrosPerOp => Cpu.TotalMicroseconds / Operations;
}

/// <summary>Runs an async operation from N concurrent workers for a fixed time and records every latency.</summary>
public static class LoadRun
{
    public static async Task<LoadResult> RunAsync(string name, int concurrency, TimeSpan warmup, TimeSpan duration, Func<Task> operation)
    {
        await RunWorkersAsync(concurrency, warmup, operation, record: null);
        var latencies = new List<double>[concurrency];
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var errors = await RunWorkersAsync(concurrency, duration, operation, latencies);
        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(name, concurrency, all.Length, clock.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors, cpu);
    }

    private static async Task<long> RunWorkersAsync(int concurrency, TimeSpan duration, Func<Task> operation, List<double>[]? record)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async w =>
        {
            var mine = new List<double>(100_000);
            if (record is not null)
            {
                record[w] = mine;
            }

            while (Stopwatch.GetTimestamp() < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    await operation();
                    mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        });
        await Task.WhenAll(workers);
        return errors;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
