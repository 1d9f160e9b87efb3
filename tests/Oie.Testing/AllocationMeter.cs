namespace Oie.Testing;

/// <summary>Heap bytes one read allocates on this thread, measured the way the allocation tests need it.</summary>
public static class AllocationMeter
{
    /// <summary>
    /// The least of three reads, each freshly prepared outside the measurement: a one-time runtime event (a tier-up, an
    /// OSR transition) can land in any single read, while an allocation per line or entry shows in every one. What each
    /// read returns (the lines or entries it saw) goes to <paramref name="checkItems"/>.
    /// </summary>
    public static long LeastOfThree(Func<Func<long>> prepare, Action<long> checkItems)
    {
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(checkItems);
        long least = long.MaxValue;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            Func<long> read = prepare();
            long before = GC.GetAllocatedBytesForCurrentThread();
            long items = read();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
            checkItems(items);
        }

        return least;
    }
}
