using System.Globalization;
using System.Net;

namespace Oie.ThreatIntel;

/// <summary>
/// Fetches one feed source: http(s) through one shared HttpClient, or a file:// path. Conditional (If-None-Match /
/// If-Modified-Since, or mtime + size for files), bounded in time and size, and never throws for a failed source.
/// </summary>
public sealed class FeedFetcher : IDisposable
{
    private readonly HttpClient _http;
    private readonly FeedFetchOptions _options;

    public FeedFetcher(FeedFetchOptions? options = null, HttpMessageHandler? handler = null)
    {
        _options = options ?? new FeedFetchOptions();
        handler ??= new SocketsHttpHandler
        {
            ConnectTimeout = _options.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxAutomaticRedirections = 5,
        };
        // The per-request deadline below covers the body too; HttpClient.Timeout would stop at the headers' end.
        _http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.TryParseAdd(_options.UserAgent);
    }

    public FeedFetchOptions Options => _options;

    /// <param name="previous">Validators of the last good body of this source, or null to fetch unconditionally.</param>
    /// <exception cref="OperationCanceledException">Only when <paramref name="cancellationToken"/> is cancelled.</exception>
    public Task<FetchResult> FetchAsync(Uri source, FeedValidators? previous, CancellationToken cancellationToken) =>
        source.Scheme switch
        {
            "http" or "https" => FetchHttpAsync(source, previous, cancellationToken),
            "file" => FetchFileAsync(source, previous, cancellationToken),
            _ => Task.FromResult<FetchResult>(new FetchResult.Failed($"unsupported scheme {source.Scheme}")),
        };

    private async Task<FetchResult> FetchHttpAsync(Uri source, FeedValidators? previous, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, source);
        if (previous?.ETag is { } etag)
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (previous?.LastModified is { } lastModified)
            request.Headers.IfModifiedSince = lastModified;
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token)
                .ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotModified)
                return previous is { IsEmpty: false } ? FetchResult.NotModified.Instance : new FetchResult.Failed("HTTP 304 to an unconditional request");
            if (!response.IsSuccessStatusCode)
                return new FetchResult.Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentLength > _options.MaxBytes)
                return TooLarge();
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
            var body = await ReadCappedAsync(stream, response.Content.Headers.ContentLength, deadline.Token).ConfigureAwait(false);
            if (body is null)
                return TooLarge();
            return new FetchResult.Body(body, new FeedValidators(ETagOf(response), response.Content.Headers.LastModified));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new FetchResult.Failed($"timed out after {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s");
        }
        catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
        {
            return new FetchResult.Failed(Describe(e));
        }
    }

    private async Task<FetchResult> FetchFileAsync(Uri source, FeedValidators? previous, CancellationToken cancellationToken)
    {
        var path = source.LocalPath;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
                return new FetchResult.Failed($"{path}: no such file");
            var validators = new FeedValidators(null, info.LastWriteTimeUtc, info.Length);
            if (previous is not null && previous.LastModified == validators.LastModified && previous.FileLength == validators.FileLength)
                return FetchResult.NotModified.Instance;
            if (info.Length > _options.MaxBytes)
                return TooLarge();
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                bufferSize: 1, useAsync: true);
            var body = await ReadCappedAsync(stream, info.Length, cancellationToken).ConfigureAwait(false);
            return body is null ? TooLarge() : new FetchResult.Body(body, validators);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FetchResult.Failed($"{path}: {e.Message}");
        }
    }

    /// <summary>Reads to the end, or returns null as soon as more than MaxBytes arrived (Content-Length is only a hint).</summary>
    private async Task<byte[]?> ReadCappedAsync(Stream stream, long? expectedLength, CancellationToken cancellationToken)
    {
        var buffer = new byte[(int)Math.Clamp((expectedLength ?? 64 * 1024) + 1, 1, Math.Min(_options.MaxBytes + 1, Array.MaxLength))];
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > _options.MaxBytes)
                    return null;
                Array.Resize(ref buffer, (int)Math.Min(Math.Min((long)buffer.Length * 2, _options.MaxBytes + 1), Array.MaxLength));
            }
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
                break;
            length += read;
        }
        if (length > _options.MaxBytes)
            return null;
        return length == buffer.Length ? buffer : buffer[..length];
    }

    private FetchResult.Failed TooLarge() =>
        new($"body larger than {_options.MaxBytes.ToString(CultureInfo.InvariantCulture)} bytes");

    private static string? ETagOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("ETag", out var values) ? values.FirstOrDefault() : null;

    private static string Describe(Exception e) =>
        e.InnerException is { } inner && inner.Message != e.Message ? $"{e.Message} ({inner.Message})" : e.Message;

    public void Dispose() => _http.Dispose();
}
