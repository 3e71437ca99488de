using Prism.Hosting.Settings;
using YamlDotNet.RepresentationModel;

namespace Prism.Identity.Configuration;

/// <summary>Walks the YAML tree of a Dex config file, keeping line numbers for error messages.</summary>
internal sealed class DexConfigParser(string source, YamlMappingNode root)
{
    public DexConfig Parse()
    {
        var issuerNode = Required(root, "issuer", "issuer");
        var issuerText = ScalarText(issuerNode, "issuer");
        if (!Uri.TryCreate(issuerText, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("http" or "https") ||
            !string.IsNullOrEmpty(issuer.Query) || !string.IsNullOrEmpty(issuer.Fragment))
        {
            throw Fail(issuerNode, "issuer must be an absolute http(s) URL without query or fragment");
        }

        if (issuer.AbsolutePath.TrimEnd('/') != IdentityEndpoints.BasePath)
        {
            throw Fail(issuerNode, $"issuer path must be {IdentityEndpoints.BasePath}, where Prism serves every endpoint (as Dex's default layout does)");
        }

        var web = Child(root, "web");
        var oauth2 = Child(root, "oauth2");
        var httpNode = web is null ? null : Child(Mapping(web, "web"), "http");
        return new DexConfig(
            source,
            issuer,
            ParseStorage(),
            httpNode is null ? null : ScalarText(httpNode, "web.http"),
            ParseClients(),
            Bool(root, "enablePasswordDB", "enablePasswordDB", false),
            ParseUsers(),
            ParseExpiry(),
            oauth2 is not null && Bool(Mapping(oauth2, "oauth2"), "skipApprovalScreen", "oauth2.skipApprovalScreen", false));
    }

    private DexStorage ParseStorage()
    {
        var node = Required(root, "storage", "storage");
        var storage = Mapping(node, "storage");
        var typeNode = Required(storage, "type", "storage.type");
        var type = ScalarText(typeNode, "storage.type");
        switch (type)
        {
            case "memory":
                return new DexStorage(true, null);
            case "sqlite3":
                var config = Child(storage, "config") is { } c ? Mapping(c, "storage.config") : throw Fail(storage, "storage.config.file is required for type sqlite3");
                var file = ScalarText(Required(config, "file", "storage.config.file"), "storage.config.file");
                return new DexStorage(false, file);
            default:
                throw Fail(typeNode, $"storage.type '{type}' is not supported (use sqlite3 or memory)");
        }
    }

    private List<DexClient> ParseClients()
    {
        var clients = new List<DexClient>();
        foreach (var (item, path) in Items("staticClients"))
        {
            var id = ScalarText(Required(item, "id", path + ".id"), path + ".id");
            var isPublic = Bool(item, "public", path + ".public", false);
            var secret = OptionalText(item, "secret", path + ".secret");
            if (!isPublic && string.IsNullOrEmpty(secret))
            {
                throw Fail(item, $"{path}.secret is required for a client that is not public");
            }

            var redirects = Strings(item, "redirectURIs", path + ".redirectURIs");
            for (var i = 0; i < redirects.Count; i++)
            {
                if (!Uri.TryCreate(redirects[i].Value, UriKind.Absolute, out _))
                {
                    throw Fail(redirects[i].Node, $"{path}.redirectURIs[{i}] is not an absolute URI");
                }
            }

            if (clients.Any(c => c.Id == id))
            {
                throw Fail(item, $"{path}.id '{id}' is declared twice");
            }

            clients.Add(new DexClient(id, isPublic ? null : secret, OptionalText(item, "name", path + ".name") ?? id,
                [.. redirects.Select(r => r.Value)], isPublic));
        }

        return clients;
    }

    private List<DexUser> ParseUsers()
    {
        var users = new List<DexUser>();
        foreach (var (item, path) in Items("staticPasswords"))
        {
            var email = ScalarText(Required(item, "email", path + ".email"), path + ".email");
            var hashNode = Required(item, "hash", path + ".hash");
            var hash = ScalarText(hashNode, path + ".hash");
            if (!BcryptHash.IsWellFormed(hash))
            {
                throw Fail(hashNode, $"{path}.hash is not a bcrypt hash");
            }

            var userId = ScalarText(Required(item, "userID", path + ".userID"), path + ".userID");
            if (users.Any(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)))
            {
                throw Fail(item, $"{path}.email '{email}' is declared twice");
            }

            users.Add(new DexUser(email, hash, OptionalText(item, "username", path + ".username") ?? email, userId,
                [.. Strings(item, "groups", path + ".groups").Select(g => g.Value)], Bool(item, "disabled", path + ".disabled", fallback: false)));
        }

        return users;
    }

    private DexExpiry ParseExpiry()
    {
        var defaults = DexExpiry.Default;
        if (Child(root, "expiry") is not { } node)
        {
            return defaults;
        }

        var expiry = Mapping(node, "expiry");
        var refresh = Child(expiry, "refreshTokens") is { } r ? Mapping(r, "expiry.refreshTokens") : null;
        return new DexExpiry(
            Duration(expiry, "idTokens", "expiry.idTokens") ?? defaults.Tokens,
            (refresh is null ? null : Duration(refresh, "absoluteLifetime", "expiry.refreshTokens.absoluteLifetime")) ?? defaults.RefreshTokens,
            Duration(expiry, "deviceRequests", "expiry.deviceRequests") ?? defaults.DeviceRequests);
    }

    private TimeSpan? Duration(YamlMappingNode mapping, string key, string path)
    {
        if (Child(mapping, key) is not { } node)
        {
            return null;
        }

        return GoDuration.TryParse(ScalarText(node, path), out var value) && value > TimeSpan.Zero
            ? value
            : throw Fail(node, $"{path} is not a duration (for example 24h, 10m)");
    }

    private IEnumerable<(YamlMappingNode Item, string Path)> Items(string key)
    {
        if (Child(root, key) is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            yield break;
        }

        var sequence = node as YamlSequenceNode ?? throw Fail(node, $"{key} must be a list");
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"{key}[{i}]";
            yield return (Mapping(sequence.Children[i], path), path);
        }
    }

    private List<(string Value, YamlNode Node)> Strings(YamlMappingNode mapping, string key, string path)
    {
        if (Child(mapping, key) is not { } node || node is YamlScalarNode { Value: null or "" })
        {
            return [];
        }

        var sequence = node as YamlSequenceNode ?? throw Fail(node, $"{path} must be a list");
        return [.. sequence.Children.Select((child, i) => (ScalarText(child, $"{path}[{i}]"), child))];
    }

    private bool Bool(YamlMappingNode mapping, string key, string path, bool fallback)
    {
        if (Child(mapping, key) is not { } node)
        {
            return fallback;
        }

        return ScalarText(node, path).ToLowerInvariant() switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Fail(node, $"{path} must be true or false"),
        };
    }

    private string? OptionalText(YamlMappingNode mapping, string key, string path) =>
        Child(mapping, key) is { } node ? ScalarText(node, path) : null;

    private string ScalarText(YamlNode node, string path) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Fail(node, $"{path} must be a non-empty value");

    private YamlMappingNode Mapping(YamlNode node, string path) =>
        node as YamlMappingNode ?? throw Fail(node, $"{path} must be a mapping");

    private YamlNode Required(YamlMappingNode mapping, string key, string path) =>
        Child(mapping, key) ?? throw Fail(mapping, $"{path} is required");

    private static YamlNode? Child(YamlMappingNode mapping, string key) =>
        mapping.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private DexConfigException Fail(YamlNode node, string problem) => new(source, (int)node.Start.Line, problem);
}
