using System.Diagnostics;
using System.Globalization;
using Prism.Host;
using Prism.Testing;

namespace Prism.Soak;

/// <summary>One <c>prism serve --modules MODULE</c> process on its own port, logging to a file; killed and restarted by PID.</summary>
internal sealed class PrismProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly string _module;
    private readonly string _log;
    private readonly HttpClient _http;
    private Process? _process;

    public PrismProcess(string name, string module, int port, IReadOnlyDictionary<string, string?> environment, string logFolder, HttpClient http,
        string readyPath = "/readyz")
    {
        ReadyPath = readyPath;
        Name = name;
        _module = module;
        Port = port;
        _environment = environment;
        _log = Path.Combine(logFolder, name + ".log");
        _http = http;
    }

    /// <summary>The prism program run: <c>--prism</c> (make soak passes the published, ReadyToRun bin/lib/prism.dll), else this build's.</summary>
    public static string Assembly { get; set; } = typeof(ModuleCatalog).Assembly.Location;

    public string Name { get; }

    /// <summary>The path answering 200 once the process serves.</summary>
    public string ReadyPath { get; }

    public int Port { get; }

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public void Start()
    {
        var start = CliRunner.StartInfo(Assembly, ["serve", "--modules", _module], _environment);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Name} did not start");
        _process.StandardInput.Close();
        var log = new StreamWriter(_log, append: true) { AutoFlush = true };
        _process.OutputDataReceived += (_, e) => Write(log, e.Data);
        _process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Waits until <see cref="ReadyPath"/> answers 200 over HTTPS; fails when the process exits first.</summary>
    public async Task<TimeSpan> WaitReadyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited ({(_process is null ? "never started" : _process.ExitCode.ToString(CultureInfo.InvariantCulture))}): {LastLines()}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri($"https://127.0.0.1:{Port}{ReadyPath}"));
                if (response.IsSuccessStatusCode)
                {
                    return clock.Elapsed;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy starting to answer within the client's timeout
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds} s: {LastLines()}");
    }

    /// <summary>SIGKILL: nothing is finished or flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGTERM and wait: a rolling restart's stop.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                process.Kill();
            }

            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private string LastLines()
    {
        Thread.Sleep(200); // the output reader may still be writing the last lines
        return File.Exists(_log) ? string.Join('\n', File.ReadLines(_log).TakeLast(8)) : "(no output)";
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is not null)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }
}
