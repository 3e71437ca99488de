namespace Prism.ControlStore.Tests;

/// <summary>Every await in these tests is bounded, so a hang fails fast instead of stalling CI.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(30);

    public static Task Timed(this Task task) => task.WaitAsync(Default);

    public static Task<T> Timed<T>(this Task<T> task) => task.WaitAsync(Default);
}
