namespace Oie.ThreatIntel;

/// <summary>
/// When a refresh is retried and which bodies may replace a good list. The defaults:
/// <list type="bullet">
/// <item>A failed or rejected refresh is retried after 10 s, doubling per consecutive failure up to 10 min, never
/// longer than the feed's refresh period.</item>
/// <item>file:// sources are checked for changes (mtime, size) every 10 s and fully re-read every refresh period.</item>
/// <item>Rejected, keeping the list in force (downloads only): an empty or blank body; a body with no entries; a body
/// where invalid lines outnumber valid ones (an HTML error page served with 200); a body with fewer than half the
/// distinct entries of the source's previous good list when that had at least 100 (a truncated download); a body of
/// at least 100 entries of which fewer than a tenth are distinct (one address repeated). A shrunken or duplicated body
/// is accepted once the same bytes have been served three times in a row: a list that really shrank is adopted after a
/// few retries.</item>
/// <item>A file:// source is the operator's list and none of the above applies: an emptied file empties the list, a
/// mostly invalid one keeps its valid entries.</item>
/// <item>A feed is fresh while every source was fetched successfully or confirmed unchanged within 2 × the refresh
/// period + the backoff ceiling.</item>
/// </list>
/// </summary>
public sealed record FeedRefreshPolicy
{
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(10);
    public TimeSpan FileCheckInterval { get; init; } = TimeSpan.FromSeconds(10);
    public int ShrinkGuardMinimum { get; init; } = 100;
    public double ShrinkGuardRatio { get; init; } = 0.5;
    public int ShrinkConfirmations { get; init; } = 3;
    public int DuplicateGuardMinimum { get; init; } = 100;
    public double DuplicateGuardRatio { get; init; } = 0.1;

    public TimeSpan BackoffCeiling(TimeSpan refresh) => Min(MaxBackoff, refresh);

    /// <param name="failures">Consecutive failures so far, at least 1.</param>
    public TimeSpan Backoff(int failures, TimeSpan refresh)
    {
        var ceiling = BackoffCeiling(refresh);
        var delay = InitialBackoff;
        for (var i = 1; i < failures && delay < ceiling; i++)
            delay *= 2;
        return Min(delay, ceiling);
    }

    public TimeSpan FreshWindow(TimeSpan refresh) => refresh * 2 + BackoffCeiling(refresh);

    /// <summary>True when <paramref name="count"/> entries would be a suspicious shrink of <paramref name="previous"/>.</summary>
    public bool IsWildShrink(int count, int previous) => previous >= ShrinkGuardMinimum && count < previous * ShrinkGuardRatio;

    /// <summary>True when <paramref name="distinct"/> entries out of <paramref name="listed"/> valid ones make a body
    /// of duplicates. Real lists repeat little (a Tor exit's OR and exit address are often the same, so up to about
    /// half); a body that is nine tenths duplicates is a broken mirror or generator.</summary>
    public bool IsMostlyDuplicates(int distinct, int listed) => listed >= DuplicateGuardMinimum && distinct < listed * DuplicateGuardRatio;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
