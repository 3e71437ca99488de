namespace Prism.Backends;

/// <summary>Runs a one-time setup (a schema, a stream) once it succeeds; a failed attempt is retried on the next call.</summary>
internal sealed class Initialiser(Func<Task> setup)
{
    private readonly Lock _gate = new();
    private Task? _attempt;

    /// <summary>Completes when the setup has succeeded.</summary>
    public Task EnsureAsync()
    {
        lock (_gate)
        {
            if (_attempt is null || _attempt.IsFaulted || _attempt.IsCanceled)
            {
                _attempt = setup();
            }

            return _attempt;
        }
    }
}
