namespace Prism.Client.Auth;

/// <summary>One token, used as is.</summary>
public sealed class StaticTokenSource(string token) : ITokenSource
{
    /// <inheritdoc />
    public ValueTask<string> GetTokenAsync(CancellationToken cancellation) => ValueTask.FromResult(token);

    /// <inheritdoc />
    public bool Invalidate() => false;
}
