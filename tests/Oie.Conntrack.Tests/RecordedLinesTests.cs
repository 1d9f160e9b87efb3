namespace Oie.Conntrack.Tests;

/// <summary>Lines recorded from real kernel conntrack by fixtures/record.sh, and hand-written ones for what that
/// machine could not produce (secctx, offload, IGMP, CRLF, no trailing newline).</summary>
public class RecordedLinesTests
{
    [Theory]
    [InlineData("real-extended.txt")]
    [InlineData("real-plain.txt")]
    [InlineData("real-proc.txt")]
    [InlineData("real-extended-id-labels.txt")]
    [InlineData("real-extended-noacct.txt")]
    [InlineData("handwritten.txt")]
    public void Every_recorded_line_is_a_flow(string fixture)
    {
        var sink = new RecordingSink();
        ConntrackReadResult result = ConntrackTableReader.Read(Fixtures.Bytes(fixture), sink);

        Assert.Equal(Fixtures.Lines(fixture).Length, result.Lines);
        Assert.Equal(result.Lines, result.Flows);
        Assert.Equal(0, result.Malformed);
        Assert.Equal(result.Flows, sink.Flows.Count);
    }

    [Fact]
    public void The_tool_and_the_kernel_spell_the_same_flows()
    {
        HashSet<ConntrackFlow> extended = Flows("real-extended.txt");

        Assert.Equal(extended, Flows("real-plain.txt"));
        Assert.Equal(extended, Flows("real-proc.txt"));
    }

    [Fact]
    public void Every_protocol_and_family_recorded_is_read()
    {
        HashSet<ConntrackFlow> flows = Flows("real-extended.txt");
        IpKey a4 = IpKey.Parse("10.201.0.1"), b4 = IpKey.Parse("10.201.0.2");
        IpKey a6 = IpKey.Parse("fd00:201::1"), b6 = IpKey.Parse("fd00:201::2");

        foreach (byte protocol in new byte[] { 1, 6, 17, 47, 132, 136, 253 })
        {
            Assert.Contains(new ConntrackFlow(a4, b4, protocol), flows);
        }

        foreach (byte protocol in new byte[] { 58, 6, 17, 47, 132, 136, 253 })
        {
            Assert.Contains(new ConntrackFlow(a6, b6, protocol), flows);
        }
    }

    [Fact]
    public void Hand_written_shapes_are_read_with_their_original_tuple()
    {
        List<ConntrackFlow> flows = Read("handwritten.txt");

        Assert.Equal(12, flows.Count);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("192.168.1.10"), IpKey.Parse("93.184.216.34"), 6, zone: 3), flows[0]);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("10.0.0.5"), IpKey.Parse("10.0.0.9"), 17), flows[4]);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("10.0.0.5"), IpKey.Parse("224.0.0.22"), 2), flows[5]);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("2001:db8::a"), IpKey.Parse("::ffff:198.51.100.7"), 17), flows[6]);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("10.2.0.1"), IpKey.Parse("10.2.0.2"), 1), flows[10]);
        Assert.Equal(new ConntrackFlow(IpKey.Parse("fd00::1"), IpKey.Parse("fd00::2"), 58), flows[11]);
    }

    private static List<ConntrackFlow> Read(string fixture)
    {
        var sink = new RecordingSink();
        ConntrackTableReader.Read(Fixtures.Bytes(fixture), sink);
        return sink.Flows;
    }

    private static HashSet<ConntrackFlow> Flows(string fixture) => [.. Read(fixture)];
}
