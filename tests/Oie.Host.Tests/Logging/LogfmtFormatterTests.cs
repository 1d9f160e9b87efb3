using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

public sealed partial class LogfmtFormatterTests
{
    private const string Prefix = "ts=2026-11-27T20:53:50.123Z level=error logger=Oie.Host.Collection.CollectionCycle ";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 20, 53, 50, 123, TimeSpan.Zero));
    private readonly LogLevelSwitch _levels = new(LogLevel.Error);

    private string Format(Action<ILogger> log, string category = "Oie.Host.Collection.CollectionCycle")
    {
        var output = new StringWriter();
        log(new FormattingLogger(category, new LogfmtFormatter(_levels, _time), output));
        return output.ToString();
    }

    [Fact]
    public void A_logger_message_is_one_line_with_its_named_values_as_keys()
    {
        var line = Format(l => SourceFailed(l, "conntrack", "tool", "exit status 1"));
        Assert.Equal(Prefix + "msg=\"collector conntrack: tool failed: exit status 1\" Collector=conntrack Source=tool Error=\"exit status 1\"\n", line);
    }

    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("a=b", "\"a=b\"")]
    [InlineData("say \"hi\"", "\"say \\\"hi\\\"\"")]
    [InlineData("line1\nline2\r\n", "\"line1\\nline2\\r\\n\"")]
    [InlineData("tab\there", "\"tab\\there\"")]
    [InlineData("back\\slash", "\"back\\\\slash\"")]
    [InlineData("bell\u0007", "\"bell\\u0007\"")]
    [InlineData("", "\"\"")]
    [InlineData("naïve-ünïcode", "naïve-ünïcode")]
    public void Values_are_quoted_and_escaped_when_they_must_be(string value, string expected)
    {
        var line = Format(l => Value(l, value));
        Assert.Equal($"ts=2026-11-27T20:53:50.123Z level=warn logger=Oie.Host.Collection.CollectionCycle msg={Quoted("value " + value)} Value={expected}\n", line);
    }

    private static string Quoted(string message)
    {
        var text = new System.Text.StringBuilder();
        LogfmtFormatter.AppendValue(text, message);
        return text.ToString();
    }

    [Fact]
    public void Numbers_are_invariant_and_null_is_null()
    {
        var line = Format(l => Numbers(l, 42, 1.5, null));
        Assert.Equal("ts=2026-11-27T20:53:50.123Z level=info logger=Oie.Host.Collection.CollectionCycle msg=\"42 in 1.50 s, (null)\" Count=42 Seconds=1.5 Source=null\n", line);
    }

    [Fact]
    public void An_exception_is_err_with_type_and_message_and_no_stack_below_debug()
    {
        var line = Format(l => CycleFailed(l, Thrown(new IOException("disk gone", new TimeoutException("slow")))));
        Assert.Equal(Prefix + "msg=\"collection cycle failed\" err=\"System.IO.IOException: disk gone ---> System.TimeoutException: slow\"\n", line);
    }

    [Fact]
    public void At_debug_the_error_carries_the_stack_escaped_on_the_same_line()
    {
        _levels.Level = LogLevel.Debug;
        var line = Format(l => CycleFailed(l, Thrown(new IOException("disk gone"))));
        Assert.StartsWith(Prefix + "msg=\"collection cycle failed\" err=\"System.IO.IOException: disk gone\\n   at ", line);
        Assert.Contains(nameof(Thrown), line);
        Assert.Single(line.Split('\n'), l => l.Length > 0);
    }

    [Fact]
    public void Keys_the_line_uses_itself_are_renamed_and_odd_keys_are_made_safe()
    {
        var line = Format(l => l.Log(LogLevel.Error, "{msg} and {level} and {odd key=}", "a", "b", "c"));
        Assert.Equal(Prefix + "msg=\"a and b and c\" msg_=a level_=b odd_key_=c\n", line);
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "collector {Collector}: {Source} failed: {Error}")]
    private static partial void SourceFailed(ILogger logger, string collector, string source, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "value {Value}")]
    private static partial void Value(ILogger logger, string value);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} in {Seconds:F2} s, {Source}")]
    private static partial void Numbers(ILogger logger, int count, double seconds, string? source);

    [LoggerMessage(Level = LogLevel.Error, Message = "collection cycle failed")]
    private static partial void CycleFailed(ILogger logger, Exception exception);
}
