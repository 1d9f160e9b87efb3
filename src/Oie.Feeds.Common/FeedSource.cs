using Oie.Abstractions;

namespace Oie.Feeds;

/// <summary>
/// Where a feed is fetched from: an <c>http://</c>, <c>https://</c> or local <c>file://</c> URL, or a file path (absolute,
/// or starting with <c>./</c> or <c>../</c>), which becomes a <c>file://</c> URL. Air-gapped clouds mirror the feeds to
/// files; anything else is refused when the command line is parsed.
/// </summary>
public static class FeedSource
{
    public const string Accepted = "http://, https:// or file:// URL, or a file path";

    /// <summary>A <see cref="FlagParser{T}"/>: null when <paramref name="text"/> is an accepted source, else why not.</summary>
    public static string? Parse(string text, out Uri value)
    {
        value = PlaceHolder;
        if (text.Length == 0)
            return "want an " + Accepted;
        if (IsPath(text))
        {
            value = FromPath(text);
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || !text.Contains("://", StringComparison.Ordinal))
            return "not a URL or a file path: want an " + Accepted;
        if (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        {
            if (uri.Host.Length == 0)
                return "the URL has no host";
        }
        else if (uri.Scheme == Uri.UriSchemeFile)
        {
            if (!uri.IsLoopback && uri.Host.Length != 0)
                return "a file:// URL must name a local file (file:///path)";
        }
        else
        {
            return $"unsupported scheme \"{uri.Scheme}\": want an " + Accepted;
        }
        value = uri;
        return null;
    }

    /// <summary>Like <see cref="Parse"/>, but an empty text is accepted and gives null: no such source.</summary>
    public static string? ParseOptional(string text, out Uri? value)
    {
        value = null;
        if (text.Length == 0)
            return null;
        var error = Parse(text, out var uri);
        value = error is null ? uri : null;
        return error;
    }

    /// <summary>The <c>file://</c> URL of <paramref name="path"/>, made absolute against the working directory.</summary>
    public static Uri FromPath(string path) =>
        new UriBuilder { Scheme = Uri.UriSchemeFile, Host = "", Path = Path.GetFullPath(path) }.Uri;

    private static bool IsPath(string text) =>
        text[0] == '/' || text.StartsWith("./", StringComparison.Ordinal) || text.StartsWith("../", StringComparison.Ordinal);

    private static readonly Uri PlaceHolder = new("file:///", UriKind.Absolute);
}
