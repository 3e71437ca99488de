using Microsoft.Extensions.Logging;

namespace Prism.ControlStore;

/// <summary>Log events of the control store. Locations never carry credentials.</summary>
internal static partial class StoreLog
{
    [LoggerMessage(EventId = 300, EventName = "AdminSchemaMigrated", Level = LogLevel.Information,
        Message = "control store {Provider} at {Location}: applied schema migration {Version} ({Name})")]
    public static partial void SchemaMigrated(ILogger logger, string provider, string location, int version, string name);

    [LoggerMessage(EventId = 301, EventName = "AdminSchemaReady", Level = LogLevel.Information,
        Message = "control store {Provider} at {Location} ready, schema version {Version}")]
    public static partial void SchemaReady(ILogger logger, string provider, string location, long version);

    [LoggerMessage(EventId = 302, EventName = "AdminSchemaNewer", Level = LogLevel.Warning,
        Message = "control store {Provider} at {Location} has schema version {Version}, newer than this release knows ({KnownVersion}); continuing")]
    public static partial void SchemaNewer(ILogger logger, string provider, string location, long version, int knownVersion);

    [LoggerMessage(EventId = 303, EventName = "AdminStorePingFailed", Level = LogLevel.Warning,
        Message = "control store {Provider} at {Location} did not answer: {ErrorType}: {Error}")]
    public static partial void PingFailed(ILogger logger, string provider, string location, string errorType, string error);

    [LoggerMessage(EventId = 310, EventName = "AdminStorePruned", Level = LogLevel.Information,
        Message = "control store {Provider} at {Location}: retention deleted {AuditRows} audit entries and {SessionRows} sessions")]
    public static partial void Pruned(ILogger logger, string provider, string location, long auditRows, long sessionRows);
}
