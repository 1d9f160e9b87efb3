using System.Text;
using Oie.Zones.Ovsdb;

namespace Oie.Zones.Tests;

public sealed class OvsdbMessageFramerTests
{
    private const string Messages =
        """{"id":"echo","method":"echo","params":[]} {"id":1,"result":[{"rows":[{"name":"br-}{int\"x"}]}],"error":null}""" +
        "\n\t{\"id\":null,\"method\":\"update\",\"params\":[null,{}]}{}";

    private static readonly string[] Expected =
    [
        """{"id":"echo","method":"echo","params":[]}""",
        """ {"id":1,"result":[{"rows":[{"name":"br-}{int\"x"}]}],"error":null}""",
        "\n\t{\"id\":null,\"method\":\"update\",\"params\":[null,{}]}",
        "{}",
    ];

    private static List<string> Feed(OvsdbMessageFramer framer, byte[] bytes, int chunk)
    {
        var messages = new List<string>();
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            var piece = bytes.AsSpan(at, Math.Min(chunk, bytes.Length - at));
            while (framer.TryTake(out var message))
                messages.Add(Encoding.UTF8.GetString(message.Span));
            piece.CopyTo(framer.FreeSpace().Span);
            framer.Advance(piece.Length);
        }
        while (framer.TryTake(out var message))
            messages.Add(Encoding.UTF8.GetString(message.Span));
        return messages;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(100_000)]
    public void Splits_back_to_back_objects_however_the_bytes_arrive(int chunk)
    {
        Assert.Equal(Expected, Feed(new OvsdbMessageFramer(1024), Encoding.UTF8.GetBytes(Messages), chunk));
    }

    [Fact]
    public void Frames_a_message_far_larger_than_one_read()
    {
        var big = "{\"id\":1,\"result\":[\"" + new string('x', 1_000_000) + "\"]}";
        var messages = Feed(new OvsdbMessageFramer(2 * 1024 * 1024), Encoding.UTF8.GetBytes(big + big), 65536);
        Assert.Equal([big, big], messages);
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("[1,2]")]
    [InlineData("\"text\" ")]
    [InlineData("42 ")]
    [InlineData("{\"id\":1,}")]
    [InlineData("{\"id\" 1}")]
    [InlineData("{\"a\":1}}")]
    [InlineData("\uFEFF{}")]
    public void Refuses_what_is_not_a_stream_of_json_objects(string text)
    {
        var framer = new OvsdbMessageFramer(1024);
        Assert.Throws<OvsdbFormatException>(() => Feed(framer, Encoding.UTF8.GetBytes(text), 3));
    }

    [Fact]
    public void Refuses_a_message_over_the_limit_before_it_ends()
    {
        var framer = new OvsdbMessageFramer(1000);
        var error = Assert.Throws<OvsdbFormatException>(() => Feed(framer, Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 5000)), 100));
        Assert.Contains("larger than", error.Message, StringComparison.Ordinal);
    }
}
