using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Prism.Admin.Store.Schema;

namespace Prism.Admin.Store.Postgres;

/// <summary>The admin model on PostgreSQL: timestamptz and jsonb columns.</summary>
internal sealed class PostgresStoreContext(DbContextOptions options) : AdminStoreContext(options)
{
    protected override void JsonColumn(PropertyBuilder<string> property) => property.HasColumnType("jsonb");
}
