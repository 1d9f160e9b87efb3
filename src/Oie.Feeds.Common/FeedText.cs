namespace Oie.Feeds;

/// <summary>Small span helpers for line-oriented feed formats.</summary>
public static class FeedText
{
    /// <summary>Space, tab, CR, vertical tab and form feed.</summary>
    public static ReadOnlySpan<byte> Blanks => " \t\r\v\f"u8;

    private static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static ReadOnlySpan<byte> SkipByteOrderMark(ReadOnlySpan<byte> body) =>
        body.StartsWith(ByteOrderMark) ? body[ByteOrderMark.Length..] : body;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> text) => text.Trim(Blanks);

    /// <summary>The part of <paramref name="line"/> before the first <paramref name="marker"/>, trimmed: <c>1.2.3.4 # note</c>
    /// gives <c>1.2.3.4</c>, a comment line gives an empty span.</summary>
    public static ReadOnlySpan<byte> BeforeComment(ReadOnlySpan<byte> line, byte marker)
    {
        var at = line.IndexOf(marker);
        return at < 0 ? line : Trim(line[..at]);
    }
}
