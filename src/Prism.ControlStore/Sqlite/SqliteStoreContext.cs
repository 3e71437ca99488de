using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore.Sqlite;

/// <summary>The admin model on SQLite: timestamps as INTEGER microseconds, JSON as TEXT.</summary>
internal sealed class SqliteStoreContext(DbContextOptions options) : ControlStoreContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();

    protected override void JsonColumn(PropertyBuilder<string> property) => property.HasColumnType("TEXT");
}
