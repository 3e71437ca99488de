namespace Prism.Backends.Tests.Support;

/// <summary>Bounds on every wait, so a hang fails the test instead of stalling the run.</summary>
public static class Timeouts
{
    /// <summary>Upper bound of any single await.</summary>
    public static readonly TimeSpan Await = TimeSpan.FromSeconds(30);

    /// <summary>Subscriber buffer used by the tests.</summary>
    public const int SubscriberBuffer = 16;

    /// <summary>Polls <paramref name="condition"/> until true; fails after <see cref="Await"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        using var limit = new CancellationTokenSource(Await);
        while (true)
        {
            try
            {
                if (await condition().WaitAsync(limit.Token))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                throw new TimeoutException($"not within {Await}: {what}");
            }

            try
            {
                await Task.Delay(100, limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"not within {Await}: {what}");
            }
        }
    }

    /// <summary>Polls <paramref name="attempt"/> until it stops throwing; fails after <see cref="Await"/>.</summary>
    public static Task EventuallySucceedsAsync(Func<Task> attempt, string what) =>
        EventuallyAsync(async () =>
        {
            try
            {
                await attempt();
                return true;
            }
            catch (BackendUnavailableException)
            {
                return false;
            }
        }, what);
}
