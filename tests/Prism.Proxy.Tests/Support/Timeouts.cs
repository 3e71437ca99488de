namespace Prism.Proxy.Tests.Support;

/// <summary>Bounds of every await in these tests, so a hang fails fast.</summary>
public static class Timeouts
{
    /// <summary>One call or one step.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(20);

    /// <summary>How long a condition may take to become true (admin changes, polls, flushes).</summary>
    public static readonly TimeSpan Eventually = TimeSpan.FromSeconds(10);

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="Eventually"/> passes.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? Eventually);
        while (true)
        {
            if (await condition().WaitAsync(Await))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting until {what}");
            }

            await Task.Delay(50);
        }
    }
}
