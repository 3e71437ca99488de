using Grpc.Core;

namespace Prism.Admin.Grpc;

/// <summary>The <c>request-id</c> metadata: the caller's when it is sane, a new one otherwise.</summary>
internal static class RequestIds
{
    public const string Header = "request-id";

    public static string From(Metadata headers)
    {
        var given = headers.GetValue(Header);
        return given is { Length: > 0 and <= 128 } && given.All(c => c is > ' ' and < (char)127) ? given : Guid.NewGuid().ToString();
    }
}
