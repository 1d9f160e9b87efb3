using System.Text.Json;

namespace Oie.Zones.Ovsdb;

/// <summary>
/// Splits an OVSDB connection's byte stream into JSON-RPC messages: RFC 7047 sends JSON objects back to back with no
/// delimiter, so a message ends where its outermost object closes. The scan resumes where it stopped when more bytes
/// arrive (the reader's state is kept), so a large answer in small reads is scanned once.
/// </summary>
internal sealed class OvsdbMessageFramer(int maxMessageBytes)
{
    private const int ReadChunk = 64 * 1024;

    private byte[] _buffer = new byte[ReadChunk];
    private int _start;       // first byte of the message being framed
    private int _scanned;     // bytes from _start already read by the JSON reader
    private int _end;         // end of the received bytes
    private JsonReaderState _state;
    private bool _inMessage;

    /// <summary>Room for the next receive; invalidates the memory of messages taken before.</summary>
    public Memory<byte> FreeSpace()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_buffer.Length - _end < ReadChunk / 4)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _end + ReadChunk));
        return _buffer.AsMemory(_end);
    }

    public void Advance(int received) => _end += received;

    /// <summary>The next complete message, valid until <see cref="FreeSpace"/> is called; false when more bytes are
    /// needed. Throws <see cref="OvsdbFormatException"/> on bytes that are not a JSON object or one too large.</summary>
    public bool TryTake(out ReadOnlyMemory<byte> message)
    {
        message = default;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start + _scanned, _end - _start - _scanned), isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
                if (!_inMessage)
                {
                    if (reader.TokenType != JsonTokenType.StartObject)
                        throw new OvsdbFormatException($"a JSON-RPC message must be a JSON object, not a {reader.TokenType}");
                    _inMessage = true;
                }
                else if (reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == 0)
                {
                    var length = _scanned + (int)reader.BytesConsumed;
                    if (length > maxMessageBytes)
                        throw TooLarge();
                    message = _buffer.AsMemory(_start, length);
                    _start += length;
                    _scanned = 0;
                    _state = default;
                    _inMessage = false;
                    return true;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new OvsdbFormatException($"not JSON: {ex.Message}", ex);
        }
        _scanned += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        if (_end - _start > maxMessageBytes)
            throw TooLarge();
        return false;
    }

    private OvsdbFormatException TooLarge() => new($"a message is larger than {ByteSize.Format(maxMessageBytes)}");

    /// <summary>Forgets everything received (after the connection was dropped).</summary>
    public void Reset()
    {
        _start = _scanned = _end = 0;
        _state = default;
        _inMessage = false;
        if (_buffer.Length > 4 * ReadChunk)
            _buffer = new byte[ReadChunk];
    }
}
