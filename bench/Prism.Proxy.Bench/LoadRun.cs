using System.Diagnostics;

namespace Prism.Proxy.Bench;

/// <summary>Latencies of one kind of operation, in stopwatch ticks.</summary>
public sealed class Samples
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void AddRange(Samples other) => _ticks.AddRange(other._ticks);

    /// <summary>The <paramref name="percentile"/> (0-100) in microseconds.</summary>
    public double PercentileMicros(double percentile)
    {
        if (_ticks.Count == 0)
        {
            return double.NaN;
        }

        _ticks.Sort();
        var index = (int)Math.Clamp(Math.Ceiling(percentile / 100 * _ticks.Count) - 1, 0, _ticks.Count - 1);
        return _ticks[index] * 1_000_000.0 / Stopwatch.Frequency;
    }
}

/// <summary>Result of one measured phase: operations done, elapsed time and latencies per operation.</summary>
public sealed class PhaseResult
{
    public Samples Set { get; } = new();

    public Samples Get { get; } = new();

    public TimeSpan Elapsed { get; set; }

    /// <summary>CPU time this process (clients and in-process servers) used during the phase.</summary>
    public TimeSpan ProcessCpu { get; set; }

    /// <summary>CPU time redis-server used during the phase.</summary>
    public TimeSpan RedisCpu { get; set; }

    public int Operations => Set.Count + Get.Count;

    public void Merge(PhaseResult other)
    {
        Set.AddRange(other.Set);
        Get.AddRange(other.Get);
        Elapsed += other.Elapsed;
        ProcessCpu += other.ProcessCpu;
        RedisCpu += other.RedisCpu;
    }

    public double OpsPerSecond => Operations / Elapsed.TotalSeconds;

    public Samples All
    {
        get
        {
            var all = new Samples();
            all.AddRange(Set);
            all.AddRange(Get);
            return all;
        }
    }
}

/// <summary>
/// Runs <c>concurrency</c> workers for a fixed duration; each alternates Set and Get of its own keys
/// (a value of the configured size) through <see cref="IKeyValueTarget"/>.
/// </summary>
public static class LoadRun
{
    public static async Task<PhaseResult> RunAsync(IKeyValueTarget target, int concurrency, TimeSpan duration, byte[] value, int? redisPid = null)
    {
        using var stop = new CancellationTokenSource(duration);
        var processCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var redisCpu = CpuTime.Of(redisPid);
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkAsync(target, w, value, stop.Token))).ToArray();
        var results = await Task.WhenAll(workers);
        clock.Stop();
        var total = new PhaseResult();
        foreach (var result in results)
        {
            total.Merge(result);
        }

        total.Elapsed = clock.Elapsed;
        total.ProcessCpu = Process.GetCurrentProcess().TotalProcessorTime - processCpu;
        total.RedisCpu = CpuTime.Of(redisPid) - redisCpu;
        return total;
    }

    private static async Task<PhaseResult> WorkAsync(IKeyValueTarget target, int worker, byte[] value, CancellationToken stop)
    {
        var result = new PhaseResult();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = $"bench:{worker}:{i % 1000}";
            var start = Stopwatch.GetTimestamp();
            await target.SetAsync(key, value);
            var middle = Stopwatch.GetTimestamp();
            await target.GetAsync(key);
            var end = Stopwatch.GetTimestamp();
            result.Set.Add(middle - start);
            result.Get.Add(end - middle);
        }

        return result;
    }
}

/// <summary>CPU time (user + system) of another process, from <c>/proc/PID/stat</c>.</summary>
public static class CpuTime
{
    public static TimeSpan Of(int? pid)
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
        {
            return TimeSpan.Zero;
        }

        // Fields after the command name, which is in parentheses and may hold spaces: utime is the 14th field, stime the 15th.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux
    }
}
