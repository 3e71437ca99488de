using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Prism.Testing.Servers;

/// <summary>
/// A server program run by a test on a fixed port with its data in a temp folder. It can be
/// stopped (killed by its own PID, never by name) and started again on the same port and data,
/// to test outages and recovery.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    /// <summary>Prepares the server; call <see cref="StartAsync"/> to run it.</summary>
    protected ServerProcess(string name)
    {
        Name = name;
        Port = FreePort.Next();
        Data = new TempDirectory("prism-" + name);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Kill();
    }

    /// <summary>Short name for messages (redis, nats).</summary>
    public string Name { get; }

    /// <summary>Loopback port the server listens on (the same across restarts).</summary>
    public int Port { get; }

    /// <summary>Folder of the server's data.</summary>
    public TempDirectory Data { get; }

    /// <summary>The server's process id while it runs (benchmarks read its CPU time from /proc).</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>True while the server process runs.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Starts the server and waits until it answers.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        var start = new ProcessStartInfo(Program())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments())
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {process.ExitCode} while starting:\n{Output()}");
            }

            try
            {
                if (await IsReadyAsync(timeout.Token))
                {
                    return;
                }
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException)
            {
                Kill();
                throw new TimeoutException($"{Name} did not answer on port {Port} within {StartTimeout}:\n{Output()}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>Kills the server (by its PID) and waits until it has exited.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        Kill();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        process.Dispose();
        _process = null;
    }

    /// <summary>Stops the server and deletes its data.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Data.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Full path of the program.</summary>
    protected abstract string Program();

    /// <summary>Command-line arguments.</summary>
    protected abstract IEnumerable<string> Arguments();

    /// <summary>One readiness probe; true when the server serves requests.</summary>
    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellation);

    private void Kill()
    {
        try
        {
            if (_process is { HasExited: false } process)
            {
                process.Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > 50)
        {
            _output.TryDequeue(out _);
        }
    }

    private string Output() => new StringBuilder().AppendJoin('\n', _output).ToString();
}
