using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Prism.Admin.Store.Schema;

namespace Prism.Admin.Store.Sqlite;

/// <summary>The admin model on SQLite: timestamps as INTEGER microseconds, JSON as TEXT.</summary>
internal sealed class SqliteStoreContext(DbContextOptions options) : AdminStoreContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();

    protected override void JsonColumn(PropertyBuilder<string> property) => property.HasColumnType("TEXT");
}
