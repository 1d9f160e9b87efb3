using System.Text.Json;
using Oie.Abstractions;

namespace Oie.Feeds.Tor;

/// <summary>Reads the relay addresses of an Onionoo details document with <see cref="Utf8JsonReader"/> (no reflection,
/// no strings): first a pass that only checks the document is complete, then one that adds the addresses.</summary>
internal static class OnionooDetails
{
    /// <summary>Longer escaped strings cannot hold an address and a port.</summary>
    private const int MaxEscapedLength = 256;

    public static void Parse(ReadOnlySpan<byte> body, FeedEntriesBuilder entries)
    {
        body = FeedText.SkipByteOrderMark(body);
        if (!IsCompleteDocument(body))
        {
            entries.CountInvalid();
            return;
        }

        var reader = new Utf8JsonReader(body);
        reader.Read();
        var sawRelays = false;
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isRelays = NameIs(ref reader, "relays"u8);
                reader.Read();
                if (isRelays && reader.TokenType == JsonTokenType.StartArray)
                {
                    sawRelays = true;
                    ReadRelays(ref reader, entries);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        if (!sawRelays)
            entries.CountInvalid(); // valid JSON, but not an Onionoo details document
    }

    private static bool IsCompleteDocument(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        try
        {
            while (reader.Read())
            {
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadRelays(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                entries.CountInvalid();
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isAddresses = NameIs(ref reader, "or_addresses"u8) || NameIs(ref reader, "exit_addresses"u8);
                reader.Read();
                if (isAddresses && reader.TokenType == JsonTokenType.StartArray)
                    ReadAddresses(ref reader, entries);
                else
                    reader.Skip();
            }
        }
    }

    private static void ReadAddresses(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                entries.CountInvalid();
                reader.Skip();
                continue;
            }

            if (reader.ValueIsEscaped ? !TryAddEscaped(ref reader, entries) : !TryAdd(reader.ValueSpan, entries))
                entries.CountInvalid();
        }
    }

    /// <summary>ValueTextEquals, false instead of an exception for an escaped name that is not valid UTF-16.</summary>
    private static bool NameIs(ref Utf8JsonReader reader, ReadOnlySpan<byte> name)
    {
        if (!reader.ValueIsEscaped)
            return reader.ValueSpan.SequenceEqual(name);
        try
        {
            return reader.ValueTextEquals(name);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryAddEscaped(ref Utf8JsonReader reader, FeedEntriesBuilder entries)
    {
        if (reader.ValueSpan.Length > MaxEscapedLength)
            return false;
        Span<byte> buffer = stackalloc byte[MaxEscapedLength];
        try
        {
            var length = reader.CopyString(buffer);
            return TryAdd(buffer[..length], entries);
        }
        catch (InvalidOperationException)
        {
            return false; // an escape that is not valid UTF-16
        }
    }

    private static bool TryAdd(ReadOnlySpan<byte> text, FeedEntriesBuilder entries)
    {
        if (!RelayAddress.TryParse(text, out var address))
            return false;
        entries.Add(address);
        return true;
    }
}
