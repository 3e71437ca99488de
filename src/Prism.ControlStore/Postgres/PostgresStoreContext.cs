using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Prism.ControlStore.Schema;

namespace Prism.ControlStore.Postgres;

/// <summary>The admin model on PostgreSQL: timestamptz and jsonb columns.</summary>
internal sealed class PostgresStoreContext(DbContextOptions options) : ControlStoreContext(options)
{
    protected override void JsonColumn(PropertyBuilder<string> property) => property.HasColumnType("jsonb");
}
