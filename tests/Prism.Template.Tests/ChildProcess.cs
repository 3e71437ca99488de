using System.Diagnostics;
using System.Text;
using Prism.Testing;

namespace Prism.Template.Tests;

/// <summary>A long-running child process whose output is kept for failure messages; disposed, it is killed by its own id.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ChildProcess(string name, ProcessStartInfo start)
    {
        Name = name;
        _process = Process.Start(start)!;
        _process.StandardInput.Close();
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last 8000 characters of its stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                var text = _output.ToString();
                return text.Length > 8000 ? text[^8000..] : text;
            }
        }
    }

    /// <summary>Starts <c>dotnet <paramref name="assembly"/> <paramref name="arguments"/></c> with <paramref name="environment"/> added.</summary>
    public static ChildProcess StartDotnet(string name, string assembly, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?> environment, string? workingDirectory = null)
    {
        var start = CliRunner.StartInfo(assembly, arguments, environment);
        if (workingDirectory is not null)
        {
            start.WorkingDirectory = workingDirectory;
        }

        return new ChildProcess(name, start);
    }

    /// <summary>Waits until <paramref name="ready"/> is true (at most <paramref name="patience"/>), failing at once if the process exits.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> ready, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            Assert.False(HasExited, $"{Name} exited with {(HasExited ? _process.ExitCode : 0)} before {what}:\n{Output}");
            try
            {
                if (await ready())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or Grpc.Core.RpcException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{Name}: {what} did not happen within {patience.TotalSeconds} s:\n{Output}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
