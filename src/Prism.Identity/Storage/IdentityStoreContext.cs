using Microsoft.EntityFrameworkCore;

namespace Prism.Identity.Storage;

/// <summary>EF Core context holding OpenIddict's applications, authorizations, scopes and tokens.</summary>
public sealed class IdentityStoreContext(DbContextOptions<IdentityStoreContext> options) : DbContext(options);
