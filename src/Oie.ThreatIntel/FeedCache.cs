using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Oie.ThreatIntel;

/// <summary>What the disk cache holds for one source: its last good body, its validators and when it was last confirmed.</summary>
public sealed record CachedSource(byte[] Body, FeedValidators Validators, DateTimeOffset? LastSuccess);

/// <summary>
/// The last good body of each downloaded source (file:// sources are read afresh instead) on disk (<c>NAME-HASH.body</c> plus a small <c>.meta</c> text file), written
/// atomically (temp file + rename) so a crash never leaves a torn copy, and read back at startup so a restart during a
/// feed outage keeps detecting. A cache that cannot be written is reported once; detection continues in memory.
/// </summary>
public sealed partial class FeedCache(string? directory, ILogger<FeedCache> logger)
{
    private int _warned;

    public string? Directory { get; } = string.IsNullOrEmpty(directory) ? null : directory;

    public CachedSource? TryLoad(string feed, Uri source)
    {
        if (Directory is null)
            return null;
        var (bodyPath, metaPath) = PathsOf(feed, source);
        try
        {
            if (!File.Exists(bodyPath))
                return null;
            var body = File.ReadAllBytes(bodyPath);
            var meta = File.Exists(metaPath) ? ParseMeta(File.ReadAllLines(metaPath)) : new Meta(null, null, null, null);
            if (meta.Source is not null && meta.Source != source.OriginalString)
                return null;
            return new CachedSource(body, new FeedValidators(meta.ETag, meta.LastModified), meta.LastSuccess);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(feed, bodyPath, e.Message);
            return null;
        }
    }

    public void Save(string feed, Uri source, byte[] body, FeedValidators validators, DateTimeOffset success)
    {
        if (Directory is null)
            return;
        var (bodyPath, metaPath) = PathsOf(feed, source);
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            WriteAtomically(bodyPath, body);
            WriteAtomically(metaPath, FormatMeta(source, validators, success));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportWriteFailure(e);
        }
    }

    /// <summary>Records that the cached body was confirmed current (a 304) without rewriting it.</summary>
    public void Touch(string feed, Uri source, FeedValidators validators, DateTimeOffset success)
    {
        if (Directory is null)
            return;
        var (bodyPath, metaPath) = PathsOf(feed, source);
        if (!File.Exists(bodyPath))
            return;
        try
        {
            WriteAtomically(metaPath, FormatMeta(source, validators, success));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ReportWriteFailure(e);
        }
    }

    private void ReportWriteFailure(Exception e)
    {
        if (Interlocked.Exchange(ref _warned, 1) == 0)
            LogUnwritable(Directory!, e.Message);
        else
            LogUnwritableAgain(Directory!, e.Message);
    }

    private (string Body, string Meta) PathsOf(string feed, Uri source)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source.OriginalString)))[..16];
        var stem = Path.Combine(Directory!, $"{feed}-{hash}");
        return (stem + ".body", stem + ".meta");
    }

    private static void WriteAtomically(string path, byte[] content)
    {
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private sealed record Meta(string? Source, string? ETag, DateTimeOffset? LastModified, DateTimeOffset? LastSuccess);

    private static byte[] FormatMeta(Uri source, FeedValidators validators, DateTimeOffset success)
    {
        var text = new StringBuilder();
        text.Append("source ").Append(source.OriginalString).Append('\n');
        if (validators.ETag is { } etag)
            text.Append("etag ").Append(etag).Append('\n');
        if (validators.LastModified is { } lastModified)
            text.Append("last-modified ").Append(lastModified.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("success ").Append(success.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static Meta ParseMeta(string[] lines)
    {
        var meta = new Meta(null, null, null, null);
        foreach (var line in lines)
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0)
                continue;
            var value = line[(space + 1)..];
            meta = line[..space] switch
            {
                "source" => meta with { Source = value },
                "etag" => meta with { ETag = value },
                "last-modified" => meta with { LastModified = ParseUnixMs(value) },
                "success" => meta with { LastSuccess = ParseUnixMs(value) },
                _ => meta,
            };
        }
        return meta;
    }

    private static DateTimeOffset? ParseUnixMs(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Feed cache directory {Directory} is not writable ({Reason}); feeds are kept in memory only and a restart during a feed outage will start without them")]
    private partial void LogUnwritable(string directory, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Feed cache directory {Directory} still not writable: {Reason}")]
    private partial void LogUnwritableAgain(string directory, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cached copy of feed {Feed} at {Path} could not be read: {Reason}")]
    private partial void LogUnreadable(string feed, string path, string reason);
}
