using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Oie.Abstractions;

namespace Oie.ThreatIntel;

/// <summary>
/// Keeps one feed's list in force: loads the disk cache, then fetches every source on its own schedule (refresh period,
/// backoff after a failure, a quick change check for files), parses and sanity-checks what arrives, and publishes the
/// union of the sources' last good entries to the shared matcher. A bad download never replaces a good list
/// (see <see cref="FeedRefreshPolicy"/>). A file:// source is the operator's: what it lists is the truth, emptied or
/// mostly invalid included, and it is neither cached nor guarded.
/// </summary>
public sealed partial class FeedRefresher : BackgroundService
{
    private readonly IThreatFeed _feed;
    private readonly int _feedBit;
    private readonly FeedMatcherHolder _holder;
    private readonly FeedFetcher _fetcher;
    private readonly FeedCache _cache;
    private readonly FeedHealthMetrics _health;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FeedRefreshPolicy _policy;
    private readonly SourceState[] _sources;
    private volatile FeedStatus _status = new(0, null, false);
    private int _inForce;

    public FeedRefresher(IThreatFeed feed, int feedBit, FeedMatcherHolder holder, FeedFetcher fetcher, FeedCache cache,
        FeedHealthMetrics health, TimeProvider time, ILogger<FeedRefresher> logger, FeedRefreshPolicy? policy = null)
    {
        _feed = feed;
        _feedBit = feedBit;
        _holder = holder;
        _fetcher = fetcher;
        _cache = cache;
        _health = health;
        _time = time;
        _logger = logger;
        _policy = policy ?? new FeedRefreshPolicy();
        _sources = [.. feed.Descriptor.Sources.Select(uri => new SourceState(uri))];
        health.Register(Name, IsFresh);
    }

    public string Name => _feed.Descriptor.Name;

    /// <summary>Entries in force, the oldest source's last success (null if a source never succeeded), and whether
    /// every source has a list in force.</summary>
    public FeedStatus Status => _status;

    /// <summary>Raised after every refresh pass with the status then in force.</summary>
    public event Action<FeedStatus>? StatusUpdated;

    /// <summary>Tests observe each pass here (written after the next wake-up is scheduled).</summary>
    internal Channel<RefreshPass>? Passes { get; set; }

    private TimeSpan Refresh => _feed.Descriptor.Refresh;

    public bool IsFresh()
    {
        var status = _status;
        return status.AllSourcesLoaded && status.LastSuccess is { } at && _time.GetUtcNow() - at <= _policy.FreshWindow(Refresh);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LoadCache();
        var start = _time.GetUtcNow();
        foreach (var source in _sources)
        {
            source.NextAttempt = start;
            source.NextFullRead = start + Refresh;
        }
        try
        {
            while (true)
            {
                var attempts = new List<SourceAttempt>();
                foreach (var source in _sources)
                {
                    if (_time.GetUtcNow() >= source.NextAttempt)
                        attempts.Add(await SafeAttemptAsync(source, stoppingToken).ConfigureAwait(false));
                }
                if (attempts.Any(a => a.Outcome == SourceOutcome.Accepted))
                    Publish();
                UpdateStatus();
                var wait = _sources.Min(s => s.NextAttempt) - _time.GetUtcNow();
                if (wait < TimeSpan.Zero)
                    wait = TimeSpan.Zero;
                var delay = Task.Delay(wait, _time, stoppingToken);
                Passes?.Writer.TryWrite(new RefreshPass(attempts, wait));
                await delay.ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void LoadCache()
    {
        var loaded = false;
        foreach (var source in _sources)
        {
            // A file is read afresh at start: a cached copy of it (left by an older version) is not the truth.
            if (source.IsFile || _cache.TryLoad(Name, source.Uri) is not { } cached)
                continue;
            var (ranges, reason) = Evaluate(source, cached.Body, guard: false);
            if (ranges is null)
            {
                LogCacheRejected(Name, source.Uri, reason!);
                continue;
            }
            source.Good = ranges;
            source.Validators = cached.Validators;
            source.LastSuccess = cached.LastSuccess;
            loaded = true;
            LogCacheLoaded(Name, ranges.Count, source.Uri, _cache.Directory!);
        }
        if (loaded)
            Publish();
        UpdateStatus();
    }

    /// <summary>A refresher that died would take detection (and, by default, the host) with it: anything unexpected
    /// is one more failed attempt.</summary>
    private async Task<SourceAttempt> SafeAttemptAsync(SourceState source, CancellationToken cancellationToken)
    {
        try
        {
            return await AttemptAsync(source, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(source, _time.GetUtcNow(), SourceOutcome.Failed, $"unexpected error: {e.Message}");
        }
    }

    private async Task<SourceAttempt> AttemptAsync(SourceState source, CancellationToken cancellationToken)
    {
        var fullRead = source.IsFile && _time.GetUtcNow() >= source.NextFullRead;
        var previous = source.Good is null || fullRead ? null : source.Validators;
        var result = await _fetcher.FetchAsync(source.Uri, previous, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (fullRead)
            source.NextFullRead = now + Refresh;
        switch (result)
        {
            case FetchResult.NotModified:
                Succeeded(source, now);
                if (!source.IsFile)
                    _cache.Touch(Name, source.Uri, source.Validators!, now);
                LogNotModified(Name, source.Uri);
                return new SourceAttempt(source.Uri, SourceOutcome.NotModified, null);
            case FetchResult.Body body:
                var (ranges, reason) = Evaluate(source, body.Content, guard: !source.IsFile);
                if (ranges is null)
                    return Failed(source, now, SourceOutcome.Rejected, reason!);
                var before = source.Good;
                source.Good = ranges;
                source.Validators = body.Validators;
                Succeeded(source, now);
                if (!source.IsFile)
                    _cache.Save(Name, source.Uri, body.Content, body.Validators, now);
                // Said once when the list becomes empty, not at every periodic re-read of a file left empty.
                if (ranges.Count == 0 && before is not { Count: 0 })
                    LogFileEmpty(Name, source.Uri, source.LastInvalid, before?.Count ?? 0);
                else if (source.IsFile && source.LastInvalid > 0)
                    LogFileInvalidLines(Name, ranges.Count, source.Uri, source.LastInvalid);
                else
                    LogAccepted(Name, ranges.Count, source.Uri, source.LastInvalid);
                return new SourceAttempt(source.Uri, SourceOutcome.Accepted, null);
            case FetchResult.Failed failed:
                return Failed(source, now, SourceOutcome.Failed, failed.Reason);
            default:
                throw new InvalidOperationException($"unexpected fetch result {result}");
        }
    }

    /// <param name="guard">Apply the checks meant for downloads: a body with no entries, mostly invalid, a wild shrink or
    /// a body of duplicates is rejected. Off for a file (the operator's truth) and for the cache (checked when saved).</param>
    private (FeedRanges? Ranges, string? Reason) Evaluate(SourceState source, byte[] body, bool guard)
    {
        var isBlank = body.AsSpan().Trim(" \t\r\n"u8).IsEmpty;
        if (isBlank && !source.IsFile)
            return (null, "empty body");
        var entries = new FeedEntriesBuilder();
        try
        {
            if (!isBlank)
                _feed.Parse(body, source.Uri, entries);
        }
        catch (Exception e)
        {
            return (null, $"parser failed: {e.Message}");
        }
        source.LastInvalid = entries.Invalid;
        var count = entries.Count;
        if (source.IsFile)
            return (FeedRanges.From(entries), null);
        if (count == 0)
            return (null, entries.Rejection is { } why ? $"unusable body: {why}" : $"no entries ({entries.Invalid} invalid lines)");
        if (entries.Invalid > entries.Listed)
            return (null, $"mostly invalid: {entries.Invalid} invalid lines, {entries.Listed} valid");
        if (guard && Suspicion(source, entries) is { } suspicion)
        {
            var hash = SHA256.HashData(body);
            source.SuspectSeen = source.SuspectHash is { } seen && seen.AsSpan().SequenceEqual(hash) ? source.SuspectSeen + 1 : 1;
            source.SuspectHash = hash;
            if (source.SuspectSeen < _policy.ShrinkConfirmations)
                return (null, $"{suspicion} (same body seen {source.SuspectSeen} of {_policy.ShrinkConfirmations} times)");
            LogSuspectAccepted(Name, suspicion, source.Uri, source.SuspectSeen);
        }
        return (FeedRanges.From(entries), null);
    }

    /// <summary>Why a download looks broken rather than changed, or null: far fewer distinct entries than the list in
    /// force (a truncated download), or far fewer than its own lines (one address repeated).</summary>
    private string? Suspicion(SourceState source, FeedEntriesBuilder entries)
    {
        var previous = source.Good?.Count ?? 0;
        if (_policy.IsWildShrink(entries.Count, previous))
            return $"shrank from {previous} to {entries.Count} entries";
        if (_policy.IsMostlyDuplicates(entries.Count, entries.Listed))
            return $"mostly duplicates: {entries.Listed} entries listed, {entries.Count} distinct";
        return null;
    }

    private void Succeeded(SourceState source, DateTimeOffset now)
    {
        source.Failures = 0;
        source.SuspectHash = null;
        source.SuspectSeen = 0;
        source.LastSuccess = now;
        source.NextAttempt = now + (source.IsFile && _policy.FileCheckInterval < Refresh ? _policy.FileCheckInterval : Refresh);
    }

    private SourceAttempt Failed(SourceState source, DateTimeOffset now, SourceOutcome outcome, string reason)
    {
        source.Failures++;
        var retry = _policy.Backoff(source.Failures, Refresh);
        source.NextAttempt = now + retry;
        _health.CountError(Name);
        LogFailed(Name, source.Uri, reason, source.Good?.Count ?? 0, retry);
        return new SourceAttempt(source.Uri, outcome, reason);
    }

    private void Publish()
    {
        var union = FeedRanges.Union(_sources.Where(s => s.Good is not null).Select(s => s.Good!));
        _holder.Publish(_feedBit, union);
        _inForce = union.Count;
        _health.SetEntries(Name, union.Count);
    }

    private void UpdateStatus()
    {
        DateTimeOffset? oldest = null;
        var everSucceeded = true;
        foreach (var source in _sources)
        {
            if (source.LastSuccess is not { } at)
                everSucceeded = false;
            else if (oldest is null || at < oldest)
                oldest = at;
        }
        var lastSuccess = everSucceeded ? oldest : null;
        _status = new FeedStatus(_inForce, lastSuccess, _sources.All(s => s.Good is not null));
        if (lastSuccess is { } success)
            _health.SetLastSuccess(Name, success);
        StatusUpdated?.Invoke(_status);
    }

    private sealed class SourceState(Uri uri)
    {
        public Uri Uri { get; } = uri;
        public bool IsFile { get; } = uri.IsFile;
        public FeedRanges? Good { get; set; }
        public FeedValidators? Validators { get; set; }
        public DateTimeOffset? LastSuccess { get; set; }
        public int Failures { get; set; }
        public int LastInvalid { get; set; }
        public DateTimeOffset NextAttempt { get; set; }
        public DateTimeOffset NextFullRead { get; set; }
        /// <summary>The last suspicious body (wild shrink, duplicates) and how many times in a row it was served.</summary>
        public byte[]? SuspectHash { get; set; }
        public int SuspectSeen { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {Feed}: {Count} entries in force from {Source} ({Invalid} invalid lines skipped)")]
    private partial void LogAccepted(string feed, int count, Uri source, int invalid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed {Feed}: {Source} not modified")]
    private partial void LogNotModified(string feed, Uri source);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed {Feed}: refresh of {Source} failed: {Reason}; keeping the {Count} entries in force, retry in {Retry}")]
    private partial void LogFailed(string feed, Uri source, string reason, int count, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Feed {Feed}: accepting {Source} although it looked broken ({Suspicion}): served identically {Times} times in a row")]
    private partial void LogSuspectAccepted(string feed, string suspicion, Uri source, int times);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed {Feed}: {Source} lists no entries ({Invalid} invalid lines skipped): the list is now empty (it had {Previous} entries)")]
    private partial void LogFileEmpty(string feed, Uri source, int invalid, int previous);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed {Feed}: {Count} entries in force from {Source}; {Invalid} invalid lines skipped (not an IPv4 or IPv6 address or CIDR): fix or remove them")]
    private partial void LogFileInvalidLines(string feed, int count, Uri source, int invalid);

    [LoggerMessage(Level = LogLevel.Information, Message = "Feed {Feed}: {Count} entries from {Source} loaded from the cache in {Directory}")]
    private partial void LogCacheLoaded(string feed, int count, Uri source, string directory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Feed {Feed}: cached copy of {Source} ignored: {Reason}")]
    private partial void LogCacheRejected(string feed, Uri source, string reason);
}

/// <param name="Entries">Distinct entries in force (over all sources).</param>
/// <param name="LastSuccess">The oldest of the sources' last successes; null while any source never succeeded.</param>
/// <param name="AllSourcesLoaded">Every source has a list in force.</param>
public sealed record FeedStatus(int Entries, DateTimeOffset? LastSuccess, bool AllSourcesLoaded);

public enum SourceOutcome { Accepted, NotModified, Failed, Rejected }

internal sealed record SourceAttempt(Uri Source, SourceOutcome Outcome, string? Reason);

internal sealed record RefreshPass(IReadOnlyList<SourceAttempt> Attempts, TimeSpan NextWake);
