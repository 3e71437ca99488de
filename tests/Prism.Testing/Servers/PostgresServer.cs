using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Prism.Backends.LocalServers;

namespace Prism.Testing.Servers;

/// <summary>
/// A private PostgreSQL server for tests: initdb into a temp folder, the postmaster on a free
/// loopback port (unix socket in the same folder), trust authentication for user <c>postgres</c>.
/// Stopped by its process id on dispose, never by name.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresBinaries _binaries;
    private readonly TempDirectory _folder;
    private readonly Process _postmaster;
    private readonly ConcurrentQueue<string> _log;

    private PostgresServer(PostgresBinaries binaries, TempDirectory folder, Process postmaster, ConcurrentQueue<string> log, int port)
    {
        _binaries = binaries;
        _folder = folder;
        _postmaster = postmaster;
        _log = log;
        Port = port;
    }

    /// <summary>Loopback address the server listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>TCP port.</summary>
    public int Port { get; }

    /// <summary>Process id of the postmaster.</summary>
    public int ProcessId => _postmaster.Id;

    private string DataDirectory => Path.Combine(_folder.Path, "data");

    /// <summary>Initialises a cluster and starts it; retries on another port if the chosen one was taken meanwhile.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var binaries = PostgresBinaries.Find();
        var folder = new TempDirectory("prism-pg");
        try
        {
            var data = Path.Combine(folder.Path, "data");
            Directory.CreateDirectory(Path.Combine(folder.Path, "socket"));
            await PostgresBinaries.GiveToServiceUserAsync(folder.Path);
            await binaries.RunAsync("initdb", folder.Path, StartTimeout,
                "-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync");
            PostgresBinaries.RequirePasswordsExceptFor(data, "postgres");

            for (var attempt = 1; ; attempt++)
            {
                var (server, failure) = await TryStartAsync(binaries, folder, FreePort.Next());
                if (server is not null)
                {
                    return server;
                }

                if (attempt == 3)
                {
                    throw new InvalidOperationException("PostgreSQL did not start: " + failure);
                }
            }
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A hot standby of this server: <c>pg_basebackup -R</c> into a new folder, started on its own port. It streams
    /// this server's changes (databases created here appear there) and refuses writes.
    /// </summary>
    public async Task<PostgresServer> StartStandbyAsync()
    {
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "pg_hba.conf"), "host replication postgres 127.0.0.1/32 trust\n");
        await _binaries.RunAsync("pg_ctl", _folder.Path, TimeSpan.FromSeconds(20), "reload", "-D", DataDirectory);
        var folder = new TempDirectory("prism-pg-standby");
        try
        {
            Directory.CreateDirectory(Path.Combine(folder.Path, "socket"));
            await PostgresBinaries.GiveToServiceUserAsync(folder.Path);
            await _binaries.RunAsync("pg_basebackup", folder.Path, StartTimeout,
                "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-D", Path.Combine(folder.Path, "data"),
                "-R", "-X", "stream", "--no-sync", "-c", "fast");
            var (standby, failure) = await TryStartAsync(_binaries, folder, FreePort.Next());
            return standby ?? throw new InvalidOperationException("the PostgreSQL standby did not start: " + failure);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Npgsql connection string for <paramref name="database"/>.</summary>
    public string ConnectionString(string database) =>
        $"Host={Host};Port={Port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database={database}";

    /// <summary>URL form (<c>postgres://postgres@127.0.0.1:port/db</c>) for <paramref name="database"/>.</summary>
    public string Url(string database) => $"postgres://postgres@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{database}";

    /// <summary>Creates an empty database with a unique name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "prism_" + Guid.NewGuid().ToString("N")[..16];
        await _binaries.RunAsync("createdb", _folder.Path, TimeSpan.FromSeconds(30),
            "-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name);
        return name;
    }

    /// <summary>The last lines the server wrote, for diagnosing a failed test.</summary>
    public string RecentLog => string.Join('\n', _log);

    /// <summary>Immediate shutdown through pg_ctl (which signals the pid in postmaster.pid), then kill by pid if needed.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_postmaster.HasExited)
            {
                try
                {
                    await _binaries.RunAsync("pg_ctl", _folder.Path, TimeSpan.FromSeconds(20), "stop", "-D", DataDirectory, "-m", "immediate", "-w");
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException)
                {
                    _postmaster.Kill();
                }

                await _postmaster.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
        }
        finally
        {
            _postmaster.Dispose();
            _folder.Dispose();
        }
    }

    private static async Task<(PostgresServer? Server, string Failure)> TryStartAsync(PostgresBinaries binaries, TempDirectory folder, int port)
    {
        var log = new ConcurrentQueue<string>();
        var portText = port.ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(binaries.StartInfo("postgres", folder.Path,
            "-D", Path.Combine(folder.Path, "data"),
            "-p", portText,
            "-k", Path.Combine(folder.Path, "socket"),
            "-c", "listen_addresses=127.0.0.1",
            "-c", "max_connections=300",
            "-c", "shared_buffers=32MB",
            "-c", "log_min_messages=warning"))!;
        process.OutputDataReceived += (_, e) => PostgresBinaries.Collect(log, e.Data);
        process.ErrorDataReceived += (_, e) => PostgresBinaries.Collect(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new PostgresServer(binaries, folder, process, log, port);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                process.Dispose();
                return (null, $"postgres exited with {process.ExitCode} on port {portText}: {string.Join('\n', log)}");
            }

            try
            {
                await binaries.RunAsync("pg_isready", folder.Path, TimeSpan.FromSeconds(10), "-h", "127.0.0.1", "-p", portText, "-U", "postgres", "-t", "1");
                return (server, "");
            }
            catch (InvalidOperationException)
            {
                await Task.Delay(100);
            }
        }

        process.Kill();
        process.Dispose();
        return (null, $"postgres did not accept connections within {StartTimeout}: {string.Join('\n', log)}");
    }
}
