using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Prism.Proxy.Tests.Support;

/// <summary>A running Node.js script whose standard output is read one JSON line at a time.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly List<string> _errors = [];

    private NodeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _lines.Writer.TryComplete();
            }
            else
            {
                _lines.Writer.TryWrite(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_errors)
                {
                    _errors.Add(e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts <c>node <paramref name="script"/></c> in <paramref name="folder"/>.</summary>
    public static NodeProcess Start(string folder, string script, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return new NodeProcess(Process.Start(start)!);
    }

    /// <summary>The next line of output as JSON; fails when the process ends or prints nothing in time.</summary>
    public async Task<JsonElement> NextAsync()
    {
        var more = await _lines.Reader.WaitToReadAsync().AsTask().WaitAsync(Timeouts.Await);
        Assert.True(more, $"node exited ({(_process.HasExited ? _process.ExitCode : -1)}): {Errors}");
        using var line = JsonDocument.Parse(await _lines.Reader.ReadAsync());
        return line.RootElement.Clone();
    }

    /// <summary>Kills the process with SIGKILL (no chance to close its streams) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(Timeouts.Await);
    }

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return string.Join('\n', _errors);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }
}
