using System.Text;
using Oie.Abstractions;
using Xunit;

namespace Oie.Feeds.Testing;

/// <summary>
/// Bodies a feed server sends when something is wrong. Every feed must turn them into no entries and a positive invalid
/// count, which is what makes the shared refresher keep the list in force.
/// </summary>
public static class BadBodies
{
    /// <summary>An HTML error page served with status 200 — it even mentions an address.</summary>
    public static readonly byte[] ErrorPage = Encoding.UTF8.GetBytes("""
        <!DOCTYPE html>
        <html lang="en">
        <head><title>503 Service Temporarily Unavailable</title></head>
        <body>
        <h1>Service Temporarily Unavailable</h1>
        <p>The server is temporarily unable to service your request. 185.220.101.1 Please try again later.</p>
        </body>
        </html>

        """);

    /// <summary>4 KiB of random bytes from a fixed seed.</summary>
    public static byte[] Garbage()
    {
        var garbage = new byte[4096];
        new Random(4).NextBytes(garbage);
        return garbage;
    }

    /// <summary>Asserts that <paramref name="body"/> adds nothing and counts as invalid; returns the invalid count.</summary>
    public static int AssertRejected(IThreatFeed feed, byte[] body)
    {
        var entries = feed.Parse(body);
        Assert.Equal(0, entries.Count);
        Assert.True(entries.Invalid > 0, "a bad body must count as invalid, or the refresher would accept an empty list");
        return entries.Invalid;
    }
}
