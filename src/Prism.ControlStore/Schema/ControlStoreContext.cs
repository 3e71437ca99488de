using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Prism.ControlStore.Schema;

/// <summary>
/// EF Core model of the control store, shared by both providers. The schema itself comes from the
/// hand-written migrations of each provider; this model only maps rows onto it (snake_case names).
/// Each provider has its own subclass so EF Core caches one model per provider.
/// </summary>
internal abstract class ControlStoreContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<NamespaceRow> Namespaces => Set<NamespaceRow>();

    public DbSet<ConfigRow> Configs => Set<ConfigRow>();

    public DbSet<BackendRow> Backends => Set<BackendRow>();

    public DbSet<SessionRow> Sessions => Set<SessionRow>();

    public DbSet<AuditRow> Audit => Set<AuditRow>();

    public DbSet<ControlRow> Control => Set<ControlRow>();

    public DbSet<LeaseRow> Leases => Set<LeaseRow>();

    public DbSet<LeaseHolderRow> LeaseHolders => Set<LeaseHolderRow>();

    public DbSet<RevokedIdentityRow> RevokedIdentities => Set<RevokedIdentityRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<NamespaceRow>(e =>
        {
            e.ToTable("namespaces").HasKey(r => r.Name);
            e.Property(r => r.Version).IsConcurrencyToken();
            JsonColumn(e.Property(r => r.Patterns));
            JsonColumn(e.Property(r => r.Backends));
            JsonColumn(e.Property(r => r.AccessGroups));
            JsonColumn(e.Property(r => r.QueueSettings));
            JsonColumn(e.Property(r => r.Labels));
        });
        modelBuilder.Entity<ConfigRow>(e =>
        {
            e.ToTable("configs").HasKey(r => r.Name);
            e.Property(r => r.Version).IsConcurrencyToken();
            JsonColumn(e.Property(r => r.Labels));
        });
        modelBuilder.Entity<BackendRow>(e =>
        {
            e.ToTable("backends").HasKey(r => r.Name);
            e.Property(r => r.Version).IsConcurrencyToken();
            JsonColumn(e.Property(r => r.Settings));
            JsonColumn(e.Property(r => r.Secrets));
            JsonColumn(e.Property(r => r.Labels));
        });
        modelBuilder.Entity<SessionRow>(e => e.ToTable("sessions").HasKey(r => r.Id));
        modelBuilder.Entity<LeaseRow>(e => e.ToTable("credential_leases").HasKey(r => r.Id));
        modelBuilder.Entity<LeaseHolderRow>(e => e.ToTable("lease_holders").HasKey(r => r.Holder));
        modelBuilder.Entity<RevokedIdentityRow>(e => e.ToTable("revoked_identities").HasKey(r => r.Identity));
        modelBuilder.Entity<AuditRow>(e =>
        {
            e.ToTable("admin_audit_log").HasKey(r => r.Sequence);
            e.Property(r => r.Sequence).ValueGeneratedOnAdd();
            JsonColumn(e.Property(r => r.ActorGroups));
            JsonColumn(e.Property(r => r.Metadata));
        });
        modelBuilder.Entity<ControlRow>(e =>
        {
            e.ToTable("control_state").HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
        });

        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            property.SetColumnName(SnakeCase(property.Name));
        }
    }

    /// <summary>Maps a string property that holds JSON; PostgreSQL stores it as <c>jsonb</c>.</summary>
    protected abstract void JsonColumn(PropertyBuilder<string> property);

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
