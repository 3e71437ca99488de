using Prism.Admin.Audit;
using Prism.Admin.Calls;
using Prism.ControlStore;

namespace Prism.Admin.Operations;

/// <summary>Sessions the proxies report, and their termination.</summary>
internal sealed class SessionDirectory(IControlStore store, AuditEntries audit)
{
    private const string Resource = "session";

    /// <summary>A page of sessions.</summary>
    public Task<Page<SessionRecord>> ListAsync(AdminCaller caller, PageRequest page, string? @namespace, bool includeInactive, CancellationToken cancellation)
    {
        caller.Touches(Resource, "", @namespace);
        return store.ListSessionsAsync(page, @namespace, includeInactive, cancellation);
    }

    /// <summary>One session.</summary>
    public async Task<SessionRecord> GetAsync(AdminCaller caller, string id, CancellationToken cancellation)
    {
        caller.Touches(Resource, id);
        RequireId(id);
        return await store.GetSessionAsync(id, cancellation) ?? throw new ResourceNotFoundException(Resource, id);
    }

    /// <summary>Ends a session: its proxy closes its streams and rejects its calls.</summary>
    public async Task<SessionRecord> TerminateAsync(AdminCaller caller, string id, string reason, CancellationToken cancellation)
    {
        caller.Touches(Resource, id);
        RequireId(id);
        var session = await store.GetSessionAsync(id, cancellation) ?? throw new ResourceNotFoundException(Resource, id);
        caller.Touches(Resource, id, session.Namespace);
        caller.Metadata["identity"] = session.Identity;
        caller.Metadata["reason"] = reason;
        var terminated = await store.TerminateSessionAsync(id, caller.Actor, reason, audit.Success(caller), cancellation);
        caller.Audited = true;
        return terminated;
    }

    /// <summary>
    /// Ends every session of <paramref name="identity"/> (subject, email or client id) in every namespace and on every
    /// proxy, and makes every admin and proxy refuse its tokens issued until now.
    /// </summary>
    public async Task<IReadOnlyList<SessionRecord>> TerminateIdentityAsync(AdminCaller caller, string identity, string reason, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(identity) || identity.Length > 256 || identity.Trim() != identity)
        {
            throw new AdminValidationException("identity", "an identity (token subject, email or client id) of 1-256 characters without surrounding spaces is required");
        }

        caller.Touches(Resource, "identity:" + identity);
        caller.Metadata["identity"] = identity;
        caller.Metadata["reason"] = reason;
        caller.Metadata["scope"] = "all sessions of identity";
        var entry = audit.Success(caller);
        var terminated = await store.TerminateIdentityAsync(identity, entry.Timestamp, caller.Actor, reason, entry, cancellation);
        caller.Audited = true;
        return terminated;
    }

    /// <summary>The credential leases of <paramref name="sessions"/>, by session id.</summary>
    public async Task<ILookup<string, LeaseRecord>> LeasesOfAsync(IEnumerable<SessionRecord> sessions, CancellationToken cancellation)
    {
        var ids = sessions.Select(s => s.Id).ToList();
        return ids.Count == 0 ? Array.Empty<LeaseRecord>().ToLookup(l => l.SessionId) : (await store.ListLeasesAsync(ids, cancellation)).ToLookup(l => l.SessionId);
    }

    private static void RequireId(string id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 128)
        {
            throw new AdminValidationException("id", "a session id of 1-128 characters is required");
        }
    }
}
