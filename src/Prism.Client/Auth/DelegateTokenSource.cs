namespace Prism.Client.Auth;

/// <summary>A token source made of two functions (e.g. prismctl's credential chain).</summary>
public sealed class DelegateTokenSource(Func<CancellationToken, ValueTask<string>> getToken, Func<bool>? invalidate = null) : ITokenSource
{
    /// <inheritdoc />
    public ValueTask<string> GetTokenAsync(CancellationToken cancellation) => getToken(cancellation);

    /// <inheritdoc />
    public bool Invalidate() => invalidate?.Invoke() ?? false;
}
