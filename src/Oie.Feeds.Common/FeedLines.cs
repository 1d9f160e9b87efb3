namespace Oie.Feeds;

/// <summary>
/// The lines of a feed body, without allocating: split on <c>\n</c>, blanks (including the <c>\r</c> of CRLF) trimmed
/// from both ends, a leading UTF-8 byte order mark skipped. Use with <c>foreach</c>.
/// </summary>
public ref struct FeedLines
{
    private ReadOnlySpan<byte> _rest;
    private bool _done;

    public FeedLines(ReadOnlySpan<byte> body)
    {
        _rest = FeedText.SkipByteOrderMark(body);
        _done = _rest.IsEmpty;
        Current = default;
    }

    /// <summary>The current line, trimmed; empty for a blank line.</summary>
    public ReadOnlySpan<byte> Current { get; private set; }

    public readonly FeedLines GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_done)
            return false;
        var newline = _rest.IndexOf((byte)'\n');
        if (newline < 0)
        {
            Current = FeedText.Trim(_rest);
            _rest = default;
            _done = true;
        }
        else
        {
            Current = FeedText.Trim(_rest[..newline]);
            _rest = _rest[(newline + 1)..];
            _done = _rest.IsEmpty;
        }
        return true;
    }
}
