using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Prism.Backends.LocalServers;
using Prism.Hosting.Posture;
using Prism.Hosting.Settings;

namespace Prism.Host.Dev.Backends;

/// <summary>
/// A PostgreSQL cluster under PRISM_HOME/data/postgres on the port, user and database of
/// PRISM_POSTGRES_URL (trust authentication on loopback). Created on first start; run as the
/// unprivileged postgres user when dev up runs as root, since PostgreSQL refuses root.
/// </summary>
public sealed class PostgresDevService(NpgsqlConnectionStringBuilder target) : BackendDevService("postgres", "postgres", "postgresql", target.Port)
{
    private static readonly TimeSpan InitTimeout = TimeSpan.FromMinutes(2);

    /// <inheritdoc />
    public override Uri Url => new($"postgres://{target.Username}@127.0.0.1:{Port}/{target.Database}");

    /// <inheritdoc />
    public override string StopSignal => "INT";

    /// <inheritdoc />
    protected override string ProgramPath => Path.Combine(PostgresBinaries.Find().Directory, "postgres");

    /// <inheritdoc />
    public override IReadOnlyList<InsecureDefault> InsecureDefaults { get; } =
        [new("postgres", "postgres (trust authentication)", "Production PostgreSQL requires a password or certificate per user and TLS; set them in PRISM_POSTGRES_URL and PRISM_DATABASE_URL.")];

    /// <inheritdoc />
    public override async Task PrepareAsync(PrismHome home, CancellationToken cancellation)
    {
        var data = ClusterDirectory(home);
        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return;
        }

        var parent = Path.GetDirectoryName(data)!;
        Directory.CreateDirectory(parent);
        await PostgresBinaries.GiveToServiceUserAsync(parent);
        await PostgresBinaries.Find().RunAsync("initdb", parent, InitTimeout,
            "-D", data, "-U", target.Username ?? "prism", "--auth=trust", "--encoding=UTF8", "--no-locale");
        PostgresBinaries.RequirePasswordsExceptFor(data, target.Username ?? "prism");
    }

    /// <summary>
    /// PRISM_HOME/data/postgres/cluster. When dev up runs as root and the unprivileged postgres
    /// user cannot reach PRISM_HOME (root's home is private), the cluster lives in
    /// /var/tmp/prism-postgres-HASH and PRISM_HOME/data/postgres/cluster links to it.
    /// </summary>
    private string ClusterDirectory(PrismHome home)
    {
        var inHome = Path.Combine(DataDirectory(home, Name), "cluster");
        if (!PostgresBinaries.RunsAsServiceUser || ReachableByOthers(inHome))
        {
            return inHome;
        }

        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(home.Root)))[..12];
        var outside = Path.Combine("/var/tmp", $"prism-postgres-{hash}", "cluster");
        if (!Path.Exists(inHome))
        {
            File.CreateSymbolicLink(inHome, outside);
        }

        return outside;
    }

    private static bool ReachableByOthers(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        for (var dir = Path.GetDirectoryName(Path.GetFullPath(path)); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
        {
            if (Directory.Exists(dir) && (File.GetUnixFileMode(dir) & UnixFileMode.OtherExecute) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override ProcessStartInfo StartInfo(PrismHome home)
    {
        var data = ClusterDirectory(home);
        return PostgresBinaries.Find().StartInfo("postgres", data,
            "-D", data, "-p", Port.ToString(CultureInfo.InvariantCulture), "-k", data, "-c", "listen_addresses=127.0.0.1");
    }

    /// <inheritdoc />
    public override async Task<bool> IsHealthyAsync(HealthChecker checker, CancellationToken cancellation)
    {
        try
        {
            await using var connection = new NpgsqlConnection(Maintenance().ConnectionString);
            await connection.OpenAsync(cancellation);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !cancellation.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override async Task AfterStartAsync(CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(Maintenance().ConnectionString);
        await connection.OpenAsync(cancellation);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = target.Database } } };
        if (await exists.ExecuteScalarAsync(cancellation) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellation);
        }
    }

    private NpgsqlConnectionStringBuilder Maintenance() => new(target.ConnectionString)
    {
        Host = "127.0.0.1",
        Database = "postgres",
        Timeout = 2,
        Pooling = false,
    };
}
