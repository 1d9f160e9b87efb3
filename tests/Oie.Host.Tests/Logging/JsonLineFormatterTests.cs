using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Oie.Host.Logging;

namespace Oie.Host.Tests.Logging;

public sealed partial class JsonLineFormatterTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 20, 53, 50, 123, TimeSpan.Zero));
    private readonly LogLevelSwitch _levels = new(LogLevel.Error);

    private JsonElement Format(Action<ILogger> log)
    {
        var output = new StringWriter();
        log(new FormattingLogger("Oie.Host.Collection.CollectionLoop", new JsonLineFormatter(_levels, _time), output));
        var text = output.ToString();
        Assert.EndsWith("\n", text);
        Assert.Single(text.Split('\n'), l => l.Length > 0);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public void A_line_is_one_json_object_with_the_logfmt_fields_and_typed_values()
    {
        var json = Format(l => Overrun(l, 12.5, 10, "line \"one\"\nline two", true));
        Assert.Equal("2026-11-27T20:53:50.123Z", json.GetProperty("ts").GetString());
        Assert.Equal("warn", json.GetProperty("level").GetString());
        Assert.Equal("Oie.Host.Collection.CollectionLoop", json.GetProperty("logger").GetString());
        Assert.Equal("took 12.50s of 10s: line \"one\"\nline two (True)", json.GetProperty("msg").GetString());
        Assert.Equal(12.5, json.GetProperty("Seconds").GetDouble());
        Assert.Equal(JsonValueKind.Number, json.GetProperty("Interval").ValueKind);
        Assert.Equal("line \"one\"\nline two", json.GetProperty("Note").GetString());
        Assert.True(json.GetProperty("Skipped").GetBoolean());
        Assert.False(json.TryGetProperty("{OriginalFormat}", out _));
        Assert.False(json.TryGetProperty("err", out _));
    }

    [Fact]
    public void An_exception_is_err_and_non_ascii_stays_readable()
    {
        var output = new StringWriter();
        new FormattingLogger("Oie.Test", new JsonLineFormatter(_levels, _time), output)
            .LogError(new InvalidOperationException("kaputt: ünïcode"), "cycle failed for {Domain}", "instance-ü");
        Assert.Contains("ünïcode", output.ToString());
        var json = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("error", json.GetProperty("level").GetString());
        Assert.Equal("instance-ü", json.GetProperty("Domain").GetString());
        Assert.Equal("System.InvalidOperationException: kaputt: ünïcode", json.GetProperty("err").GetString());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "took {Seconds:F2}s of {Interval}s: {Note} ({Skipped})")]
    private static partial void Overrun(ILogger logger, double seconds, int interval, string note, bool skipped);
}
