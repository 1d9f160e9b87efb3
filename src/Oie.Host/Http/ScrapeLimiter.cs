namespace Oie.Host.Http;

/// <summary>
/// Caps concurrent scrapes (<c>-web.max-requests</c>, as node_exporter): beyond the cap a scrape gets 503 at once
/// instead of queueing behind the others. 0 means no cap.
/// </summary>
internal sealed class ScrapeLimiter(int maxConcurrent)
{
    private int _inFlight;

    public int MaxConcurrent { get; } = maxConcurrent;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Takes a slot; false when the cap is reached. Every true must be paired with <see cref="Exit"/>.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _inFlight) <= MaxConcurrent || MaxConcurrent == 0)
            return true;
        Interlocked.Decrement(ref _inFlight);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _inFlight);
}
