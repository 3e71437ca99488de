using System.Collections.Concurrent;

namespace Prism.Soak;

/// <summary>
/// Every write acknowledged to a client, to be found again at the end. A key may legitimately hold
/// its last acknowledged value or any value written after it whose call failed (its outcome is unknown).
/// </summary>
internal sealed class Ledger
{
    private readonly ConcurrentDictionary<string, KeyHistory> _keys = new();

    public ConcurrentDictionary<string, byte> QueueAcknowledged { get; } = new();

    public ConcurrentDictionary<string, byte> QueueReceived { get; } = new();

    public long QueueDeliveries;

    public long PubSubPublished;

    public long PubSubDelivered;

    public IEnumerable<KeyValuePair<string, KeyHistory>> Keys => _keys;

    public void Attempt(string key, string value) => _keys.GetOrAdd(key, _ => new KeyHistory()).Attempt(value);

    public void Acknowledged(string key, string value) => _keys[key].Acknowledged(value);

    public IEnumerable<string> QueueLost => QueueAcknowledged.Keys.Where(id => !QueueReceived.ContainsKey(id));
}

/// <summary>One key's last acknowledged value and the values attempted since.</summary>
internal sealed class KeyHistory
{
    private readonly List<string> _pending = [];

    public string? LastAcknowledged { get; private set; }

    public void Attempt(string value)
    {
        lock (_pending)
        {
            _pending.Add(value);
        }
    }

    public void Acknowledged(string value)
    {
        lock (_pending)
        {
            LastAcknowledged = value;
            _pending.Clear();
        }
    }

    /// <summary>True when <paramref name="stored"/> is what the key may hold now.</summary>
    public bool Accepts(string? stored)
    {
        lock (_pending)
        {
            return stored == LastAcknowledged || (stored is not null && _pending.Contains(stored));
        }
    }
}
