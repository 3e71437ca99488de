namespace Prism.Client.Auth;

/// <summary>
/// A token read from a file, again whenever the file changes (a Kubernetes projected token, a
/// token written by a sidecar). Surrounding whitespace is ignored.
/// </summary>
public sealed class TokenFileSource(string path) : ITokenSource
{
    private string? _token;
    private DateTime _readAt;

    /// <inheritdoc />
    public async ValueTask<string> GetTokenAsync(CancellationToken cancellation)
    {
        var written = File.GetLastWriteTimeUtc(path);
        if (_token is null || written != _readAt)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellation);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new PrismClientException($"token file {path} cannot be read: {e.Message}", e);
            }

            var token = text.Trim();
            if (token.Length == 0)
            {
                throw new PrismClientException($"token file {path} is empty");
            }

            (_token, _readAt) = (token, written);
        }

        return _token;
    }

    /// <inheritdoc />
    public bool Invalidate()
    {
        _token = null;
        return true;
    }
}
