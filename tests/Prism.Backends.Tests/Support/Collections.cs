using Prism.Testing.Servers;

namespace Prism.Backends.Tests.Support;

[CollectionDefinition(Redis)]
public sealed class RedisCollection : ICollectionFixture<RedisFixture>
{
    public const string Redis = "redis";
}

[CollectionDefinition(Nats)]
public sealed class NatsCollection : ICollectionFixture<NatsFixture>
{
    public const string Nats = "nats";
}

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>;

[CollectionDefinition(Name)]
public sealed class RedisTlsCollection : ICollectionFixture<RedisTlsFixture>
{
    public const string Name = "redis over tls";
}

[CollectionDefinition(Name)]
public sealed class NatsTlsCollection : ICollectionFixture<NatsTlsFixture>
{
    public const string Name = "nats over tls";
}

[CollectionDefinition(Name)]
public sealed class RedisClusterCollection : ICollectionFixture<RedisClusterFixture>
{
    public const string Name = "redis cluster";
}

[CollectionDefinition(Name)]
public sealed class RedisClusterAclCollection : ICollectionFixture<RedisClusterAclFixture>
{
    public const string Name = "redis cluster with acl";
}
