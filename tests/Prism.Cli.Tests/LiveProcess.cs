using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace Prism.Cli.Tests;

/// <summary>
/// prismctl running in the background, whose output lines the test reads while it runs
/// (device login, audit --follow). Killed on dispose if still running.
/// </summary>
public sealed class LiveProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly Channel<string> _stderr = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _all = new();

    private LiveProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Receive(_stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Receive(_stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static LiveProcess Start(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
    {
        var start = Prism.Testing.CliRunner.StartInfo(Prismctl.Assembly, arguments, environment);
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return new LiveProcess(process);
    }

    /// <summary>Everything printed so far (both streams), for failure messages.</summary>
    public string Transcript
    {
        get
        {
            lock (_all)
            {
                return _all.ToString();
            }
        }
    }

    /// <summary>The next stdout line that satisfies <paramref name="match"/>.</summary>
    public Task<string> StdoutLineAsync(Func<string, bool> match, TimeSpan timeout) => LineAsync(_stdout, match, timeout);

    /// <summary>The next stderr line that satisfies <paramref name="match"/>.</summary>
    public Task<string> StderrLineAsync(Func<string, bool> match, TimeSpan timeout) => LineAsync(_stderr, match, timeout);

    /// <summary>Waits for the exit and returns the exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan timeout)
    {
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Receive(Channel<string> channel, string? line)
    {
        if (line is null)
        {
            channel.Writer.TryComplete();
            return;
        }

        lock (_all)
        {
            _all.AppendLine(line);
        }

        channel.Writer.TryWrite(line);
    }

    private async Task<string> LineAsync(Channel<string> channel, Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(cancel.Token))
            {
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("no matching line in time; output so far:\n" + Transcript);
        }

        throw new InvalidOperationException("the stream ended without a matching line; output:\n" + Transcript);
    }
}
