namespace Oie.ThreatIntel;

/// <summary>What identifies the body we hold, for a conditional request: the HTTP validators, or a file's mtime + size.</summary>
public sealed record FeedValidators(string? ETag, DateTimeOffset? LastModified, long? FileLength = null)
{
    public bool IsEmpty => ETag is null && LastModified is null;
}

/// <summary>The outcome of fetching one source.</summary>
public abstract record FetchResult
{
    private FetchResult()
    {
    }

    /// <summary>The server answered 304, or the file's mtime and size are unchanged: the body we hold is current.</summary>
    public sealed record NotModified : FetchResult
    {
        public static readonly NotModified Instance = new();
    }

    /// <summary>A complete body within the size cap.</summary>
    public sealed record Body(byte[] Content, FeedValidators Validators) : FetchResult;

    /// <summary>Nothing usable: <paramref name="Reason"/> says why, for the log.</summary>
    public sealed record Failed(string Reason) : FetchResult;
}
