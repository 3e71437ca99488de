using Prism.Testing.Servers;

namespace Prism.Proxy.Tests.Support;

/// <summary>Real redis-server, nats-server and PostgreSQL shared by the tests that need them.</summary>
[CollectionDefinition(Name)]
public sealed class ServersCollection : ICollectionFixture<RedisFixture>, ICollectionFixture<NatsFixture>, ICollectionFixture<PostgresFixture>
{
    public const string Name = "servers";
}
