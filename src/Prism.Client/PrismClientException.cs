namespace Prism.Client;

/// <summary>A failure of the client itself (no token, an identity provider that refused) or an error the proxy put in a wire <c>error</c> field.</summary>
public sealed class PrismClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PrismClientException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PrismClientException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PrismClientException()
    {
    }
}
