namespace Oie.Zones.Iptables;

/// <summary>
/// Splits an iptables-save rule line into arguments: blank-separated, a double-quoted argument (how iptables-save
/// prints a comment with blanks) is one token without its quotes; escapes inside it (\" and \\) are left as they are.
/// </summary>
internal ref struct IptablesTokens(ReadOnlySpan<char> line)
{
    private ReadOnlySpan<char> _rest = line;

    public ReadOnlySpan<char> Current { get; private set; }

    public readonly IptablesTokens GetEnumerator() => this;

    public bool MoveNext()
    {
        _rest = _rest.TrimStart(" \t");
        if (_rest.IsEmpty)
            return false;
        if (_rest[0] == '"')
        {
            var end = 1;
            while (end < _rest.Length && _rest[end] != '"')
                end += _rest[end] == '\\' && end + 1 < _rest.Length ? 2 : 1;
            Current = _rest[1..Math.Min(end, _rest.Length)];
            _rest = end < _rest.Length ? _rest[(end + 1)..] : [];
            return true;
        }
        var blank = _rest.IndexOfAny(" \t");
        Current = blank < 0 ? _rest : _rest[..blank];
        _rest = blank < 0 ? [] : _rest[blank..];
        return true;
    }
}
