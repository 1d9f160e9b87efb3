using System.Buffers;
using System.Text;
using Oie.Abstractions;
using Oie.Host.Exposition;

namespace Oie.Host.Tests;

public class TextFormatTests
{
    private static readonly MetricFamily Family = new("oie_test", "Test", MetricType.Gauge, "domain", "instance_uuid");

    private static string Sample(double value, params string[] labels)
    {
        var buffer = new ArrayBufferWriter<byte>();
        TextFormat.WriteSample(buffer, Family, value, labels);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void Writes_name_labels_in_order_and_value() =>
        Assert.Equal("oie_test{domain=\"a\",instance_uuid=\"b\"} 12.5\n", Sample(12.5, "a", "b"));

    [Theory]
    [InlineData("q\"uote", "q\\\"uote")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("new\nline", "new\\nline")]
    [InlineData("ünïcødé ✓", "ünïcødé ✓")]
    [InlineData("", "")]
    public void Escapes_label_values_as_the_text_format_requires(string raw, string escaped) =>
        Assert.Equal($"oie_test{{domain=\"{escaped}\",instance_uuid=\"x\"}} 1\n", Sample(1, raw, "x"));

    [Fact]
    public void A_lone_surrogate_still_gives_valid_utf8()
    {
        var buffer = new ArrayBufferWriter<byte>();
        TextFormat.WriteEscapedLabelValue(buffer, "a\ud800b");
        var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
        Assert.Equal("a\ufffdb", strict.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(100.0, "100")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(123456789012.0, "123456789012")]
    [InlineData(3.814697265625E-06, "3.814697265625e-06")]
    [InlineData(1e21, "1e+21")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Values_round_trip(double value, string text) => Assert.Equal($"oie_test{{domain=\"a\",instance_uuid=\"b\"}} {text}\n", Sample(value, "a", "b"));

    [Fact]
    public void A_wrong_label_count_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => Sample(1, "only-one"));

    [Fact]
    public void Family_header_carries_help_and_type()
    {
        var counter = new MetricFamily("oie_c", "Line one\nback\\slash", MetricType.Counter, "x");
        Assert.Equal("# HELP oie_c Line one\\nback\\\\slash\n# TYPE oie_c counter\n", Encoding.UTF8.GetString(counter.Header.Span));
    }
}
