using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Prism.Testing;

namespace Prism.Host.Tests;

/// <summary>A real <c>prism serve --modules proxy</c> process on a free port, with a channel to it.</summary>
internal sealed class ProxyProcess : IAsyncDisposable
{
    private ProxyProcess(Process process, GrpcChannel channel)
    {
        Process = process;
        Channel = channel;
    }

    /// <summary>The process (kill it by this, never by name).</summary>
    public Process Process { get; }

    /// <summary>A channel to its port.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>Starts a proxy with <paramref name="prism"/>'s environment, proxy id <paramref name="id"/> and a fresh port.</summary>
    public static ProxyProcess Start(PrismCli prism, string id)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>(prism.Environment)
        {
            ["PRISM_PROXY_ID"] = id,
            ["PRISM_PROXY_PORT"] = port.ToString(CultureInfo.InvariantCulture),
        };
        var process = Process.Start(CliRunner.StartInfo(typeof(ModuleCatalog).Assembly.Location, ["serve", "--modules", "proxy"], environment))!;
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ProxyProcess(process, GrpcChannel.ForAddress($"http://127.0.0.1:{port}"));
    }

    /// <summary>Waits until gRPC health answers SERVING (60 s at most).</summary>
    public async Task WaitServingAsync()
    {
        var health = new Health.HealthClient(Channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            Assert.False(Process.HasExited, $"the proxy exited with {(Process.HasExited ? Process.ExitCode : 0)}");
            try
            {
                if ((await health.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(2))).Status
                    == HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, "the proxy did not serve within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public async Task KillAsync()
    {
        Process.Kill();
        await Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            await KillAsync();
        }

        Channel.Dispose();
        Process.Dispose();
    }
}
