namespace Oie.Abstractions.Tests;

public class GoDurationTests
{
    [Theory]
    [InlineData("10s", 10_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("300ms", 300)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("0", 0)]
    [InlineData("+5s", 5_000)]
    [InlineData("-5s", -5_000)]
    [InlineData("1500us", 1.5)]
    [InlineData("1500µs", 1.5)]
    [InlineData("1000000ns", 1)]
    public void Parses_like_go(string text, double milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("10x")]
    [InlineData("1..5s")]
    [InlineData("1h-5m")]
    [InlineData("99999999999999999h")]
    public void Rejects_what_go_rejects(string text) => Assert.False(GoDuration.TryParse(text, out _));

    [Theory]
    [InlineData(10_000, "10s")]
    [InlineData(3_600_000, "1h0m0s")]
    [InlineData(600_000, "10m0s")]
    [InlineData(21_600_000, "6h0m0s")]
    [InlineData(90_500, "1m30.5s")]
    [InlineData(300, "300ms")]
    public void Formats_like_go(double milliseconds, string expected) =>
        Assert.Equal(expected, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
}
