using System.Diagnostics;

namespace Oie.EndToEnd.Tests;

/// <summary>Waiting for a condition with a deadline: the only way these tests synchronise with processes.</summary>
internal static class Poll
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until <paramref name="condition"/> holds; on timeout throws with <paramref name="describe"/>'s text.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<Task<string>> describe)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await condition())
                return;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"not reached within {timeout.TotalSeconds:0.#}s: {await describe()}");
            await Task.Delay(Step);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        UntilAsync(condition, timeout, () => Task.FromResult(what));

    public static Task UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, () => Task.FromResult(describe()));

    /// <summary>Polls <paramref name="read"/> until it returns a non-null value.</summary>
    public static async Task<T> ForAsync<T>(Func<Task<T?>> read, TimeSpan timeout, Func<Task<string>> describe) where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await read()) is not null, timeout, describe);
        return value!;
    }
}
