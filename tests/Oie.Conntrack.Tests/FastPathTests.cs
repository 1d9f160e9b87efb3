using System.Text;
using CsCheck;
using Oie.Tests;

namespace Oie.Conntrack.Tests;

/// <summary>
/// <see cref="ConntrackLineParser.ParseFirstLine"/> (the readers' fast path, which reads a line inside a buffer that
/// holds the following lines too) gives exactly what <see cref="ConntrackLineParser.Parse"/> gives for the delimited
/// line, on generated lines of every form, their mutations, garbage, blank and summary lines, CRLF and over-long
/// lines; whatever comes after the line's newline never changes the answer.
/// </summary>
public class FastPathTests
{
    [Fact]
    public void The_fast_path_gives_what_the_line_parser_gives_on_every_line() =>
        Gen.Int.SampleFixed(seed =>
        {
            var random = new Random(seed);
            for (int i = 0; i < 50; i++)
            {
                byte[] line = NextLine(random);
                byte[] next = NextLine(random);
                ConntrackLineKind expectedKind = ConntrackLineParser.Parse(line, out ConntrackFlow expected);

                byte[] text = [.. line, (byte)'\n', .. next, .. random.Next(2) == 0 ? "\n"u8.ToArray() : []];
                int length = ConntrackLineParser.ParseFirstLine(text, out ConntrackLineKind kind, out ConntrackFlow flow);
                string shown = Encoding.Latin1.GetString(line);
                Assert.True(length == line.Length, $"length {length} of {line.Length}: {shown}");
                Assert.True(expectedKind == kind, $"{kind}, want {expectedKind}: {shown}");
                Assert.True(expected == flow, $"{flow}, want {expected}: {shown}");

                // No newline in the text: nothing is decided yet.
                Assert.Equal(-1, ConntrackLineParser.ParseFirstLine(line, out _, out _));
            }
        }, iter: 2_000);

    [Theory]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 zone=7 use=1", 7)]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 zone-orig=9 use=1", 9)]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 zone-orig=9 mark=0 zone=8 use=1", 8)]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 labels=zebra use=1", 0)]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 zone=65535\r", 65535)]
    public void The_zone_is_read_in_the_same_pass_as_the_line_end(string line, int zone)
    {
        byte[] text = Encoding.ASCII.GetBytes(line + "\nipv4     2 udp      17 30 src=10.0.0.9 dst=10.0.0.8 zone=3 use=1\n");
        Assert.Equal(line.Length, ConntrackLineParser.ParseFirstLine(text, out ConntrackLineKind kind, out ConntrackFlow flow));
        Assert.Equal(ConntrackLineKind.Flow, kind);
        Assert.Equal(zone, flow.Zone);
    }

    [Theory]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=0 zone=65536 use=1")]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=0 zone-orig=x use=1")]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED dst=10.0.0.2 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 use=1")]
    [InlineData("ipv4     2 tcp      6 300 ESTABLISHED src=10.0.0.1")]
    [InlineData("ipv6     10 tcp      6 300 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 use=1")]
    public void A_line_the_line_parser_rejects_is_malformed_on_the_fast_path_too(string line)
    {
        // The next line is good and has the fields this one lacks: nothing may be taken from it.
        byte[] text = Encoding.ASCII.GetBytes(line + "\nipv4     2 udp      17 30 src=10.0.0.9 dst=10.0.0.8 zone=3 use=1\n");
        Assert.Equal(ConntrackLineKind.Malformed, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out _));
        Assert.Equal(line.Length, ConntrackLineParser.ParseFirstLine(text, out ConntrackLineKind kind, out _));
        Assert.Equal(ConntrackLineKind.Malformed, kind);
    }

    private static byte[] NextLine(Random random) => random.Next(100) switch
    {
        < 40 => Encoding.ASCII.GetBytes(GeneratedLines.Line(random, out _) + (random.Next(10) == 0 ? "\r" : "")),
        < 85 => Encoding.Latin1.GetBytes(GeneratedLines.Mutate(GeneratedLines.Line(random, out _), random)),
        < 92 => GeneratedLines.Garbage(random),
        < 95 => random.Next(2) == 0 ? [] : " \r"u8.ToArray(),
        < 97 => "conntrack v1.4.7 (conntrack-tools): 12 flow entries have been shown."u8.ToArray(),
        _ => Encoding.ASCII.GetBytes(GeneratedLines.Line(random, out _) + " labels=" + new string('x', random.Next(4000, 9000))),
    };
}
