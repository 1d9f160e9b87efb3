using System.Diagnostics;

namespace Oie.Zones.Tests.Infra;

/// <summary>Waits for a daemon to have done something, by checking the real condition until a deadline.</summary>
internal static class Poll
{
    public static T Until<T>(Func<T?> probe, string what, TimeSpan? timeout = null) where T : class
    {
        var clock = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        while (true)
        {
            if (probe() is { } value)
                return value;
            if (clock.Elapsed > limit)
                throw new TimeoutException($"{what}: not within {limit.TotalSeconds} s");
            Thread.Sleep(25); // the pace of polling, not a synchronisation: the condition above is what is waited for
        }
    }

    public static void Until(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Until(() => condition() ? "" : null, what, timeout);
}
