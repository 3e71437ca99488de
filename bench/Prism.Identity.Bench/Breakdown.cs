using System.Diagnostics;
using System.Security.Claims;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using Prism.Bench;
using Prism.Identity.Storage;

namespace Prism.Identity.Bench;

/// <summary>
/// Where one client_credentials token's time goes: the whole request from one client, then each
/// step the token endpoint takes, timed alone against the same running module and store.
/// </summary>
public static class Breakdown
{
    private const string ClientId = "bench-machine";
    private const string ClientSecret = "bench-machine-secret-0123456789abcdef";

    public static async Task RunAsync(IServiceProvider services, Func<Task> tokenRequest, int seconds, int warmup)
    {
        // The JIT tiers OpenIddict's pipeline up over many requests; measure the steady state.
        await LoadRun.RunAsync("warm-up", 16, TimeSpan.FromSeconds(warmup), TimeSpan.Zero, tokenRequest);
        using var commands = new CommandCounter();
        var whole = await MedianMicrosAsync(seconds, tokenRequest);
        commands.Reset();
        const int counted = 50;
        for (var i = 0; i < counted; i++)
        {
            await tokenRequest();
        }

        var perRequest = (double)commands.Count / counted;
        var lookup = await MedianMicrosAsync(seconds, async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
            _ = await applications.FindByClientIdAsync(ClientId) ?? throw new InvalidOperationException("client not registered");
        });
        var remembered = services.GetRequiredService<VerifiedClientSecrets>();
        var pbkdf2 = await SecretMicrosAsync(services, seconds, () => remembered.Clear()) - lookup;
        var secret = await SecretMicrosAsync(services, seconds, () => { }) - lookup;
        var durability = services.GetRequiredService<IdentityDurability>();
        var persist = await MedianMicrosAsync(seconds, () => InsertTokenAsync(services));
        var fsync = await MedianMicrosAsync(seconds, async () =>
        {
            await InsertTokenAsync(services);
            await durability.FlushAsync();
        }) - persist;
        var server = services.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>().CurrentValue;
        var handler = new JsonWebTokenHandler();
        var sign = await MedianMicrosAsync(seconds, () =>
        {
            _ = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = server.Issuer?.AbsoluteUri, Audience = ClientId, SigningCredentials = server.SigningCredentials[0],
                Subject = new ClaimsIdentity([new Claim("sub", ClientId), new Claim("client_id", ClientId), new Claim("groups", "prism:operator"),
                    new Claim("jti", Guid.NewGuid().ToString())]),
                Expires = DateTime.UtcNow.AddHours(1), TokenType = "at+jwt",
            });
            return Task.CompletedTask;
        });

        var steps = new (string Step, double Micros)[]
        {
            ("client secret verification, remembered (HMAC lookup; PBKDF2 alone below)", secret),
            ("token persistence (one IOpenIddictTokenManager.CreateAsync, SQLite insert, no sync)", persist),
            ("WAL fsync after it, before the response (group commit: one for all requests waiting)", fsync),
            ("RS256 signing (JsonWebTokenHandler.CreateToken with the module's key)", sign),
            ("one application lookup (FindByClientIdAsync, new scope)", lookup),
        };
        Console.WriteLine($"## Breakdown of one client_credentials token (1 client after {warmup} s of warm-up at 16, medians over {seconds} s per step, {Environment.ProcessorCount} CPUs)");
        Console.WriteLine();
        Console.WriteLine("| step | µs | share of the request |");
        Console.WriteLine("|---|---:|---:|");
        Console.WriteLine($"| whole request (HTTP, 1 client) | {whole:0} | 100 % |");
        foreach (var (step, micros) in steps)
        {
            Console.WriteLine($"| {step} | {micros:0} | {micros / whole:0 %} |");
        }

        var rest = whole - steps.Sum(s => s.Micros);
        Console.WriteLine($"| rest (HTTP, OpenIddict pipeline, further lookups, token endpoint) | {rest:0} | {rest / whole:0 %} |");
        Console.WriteLine($"| (not in the request above) client secret verification by PBKDF2, as before the cache or on a miss | {pbkdf2:0} | |");
        Console.WriteLine();
        Console.WriteLine($"SQL commands per token request: {perRequest:0.0}");
    }

    private static async Task InsertTokenAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        await tokens.CreateAsync(new OpenIddictTokenDescriptor
        {
            Subject = ClientId, Type = OpenIddictConstants.TokenTypeHints.AccessToken, Status = OpenIddictConstants.Statuses.Valid,
            CreationDate = DateTimeOffset.UtcNow, ExpirationDate = DateTimeOffset.UtcNow.AddHours(1),
        });
    }

    private static Task<double> SecretMicrosAsync(IServiceProvider services, int seconds, Action before) => MedianMicrosAsync(seconds, async () =>
    {
        before();
        await using var scope = services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await applications.FindByClientIdAsync(ClientId);
        if (!await applications.ValidateClientSecretAsync(application!, ClientSecret))
        {
            throw new InvalidOperationException("secret refused");
        }
    });

    private static async Task<double> MedianMicrosAsync(int seconds, Func<Task> operation)
    {
        for (var i = 0; i < 20; i++)
        {
            await operation();
        }

        var samples = new List<double>();
        var deadline = Stopwatch.GetTimestamp() + (seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var start = Stopwatch.GetTimestamp();
            await operation();
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>Counts the SQL commands EF Core executes in this process.</summary>
    private sealed class CommandCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly IDisposable _all;
        private readonly List<IDisposable> _subscriptions = [];
        private long _count;

        public CommandCounter() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public long Count => Interlocked.Read(ref _count);

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        public void OnNext(DiagnosticListener value)
        {
            if (value.Name == "Microsoft.EntityFrameworkCore")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(value.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted")
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }
}
