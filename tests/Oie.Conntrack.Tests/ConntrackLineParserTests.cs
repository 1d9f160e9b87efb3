using System.Text;

namespace Oie.Conntrack.Tests;

public class ConntrackLineParserTests
{
    [Theory]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=2 bytes=112 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=1 bytes=60 [ASSURED] mark=0 delta-time=0 use=1", "10.0.0.1", "10.0.0.2", 6)]
    [InlineData("tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 [ASSURED] mark=0 use=1", "10.0.0.1", "10.0.0.2", 6)]
    [InlineData("ipv6     10 udp      17 29 src=fd00:201::1 dst=fd00:201::2 sport=1 dport=5353 [UNREPLIED] src=fd00:201::2 dst=fd00:201::1 sport=5353 dport=1 mark=0 use=1", "fd00:201::1", "fd00:201::2", 17)]
    [InlineData("ipv6     10 udp      17 29 src=fd00:0201:0000:0000:0000:0000:0000:0001 dst=fd00:0201:0000:0000:0000:0000:0000:0002 sport=1 dport=2 [UNREPLIED] src=fd00:0201:0000:0000:0000:0000:0000:0002 dst=fd00:0201:0000:0000:0000:0000:0000:0001 sport=2 dport=1 mark=0 zone=0 use=2", "fd00:201::1", "fd00:201::2", 17)]
    [InlineData("ipv4     2 udplite  136 29 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=6000 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=6000 dport=1 mark=0 use=1", "10.0.0.1", "10.0.0.2", 136)]
    [InlineData("ipv4     2 sctp     132 9 CLOSED src=10.0.0.1 dst=10.0.0.2 sport=40000 dport=9 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=9 dport=40000 mark=0 use=1", "10.0.0.1", "10.0.0.2", 132)]
    [InlineData("ipv4     2 icmp     1 28 src=10.0.0.1 dst=10.0.0.2 type=8 code=0 id=26855 src=10.0.0.2 dst=10.0.0.1 type=0 code=0 id=26855 mark=0 use=1", "10.0.0.1", "10.0.0.2", 1)]
    [InlineData("ipv6     10 icmpv6   58 29 src=fd00::1 dst=fd00::2 type=128 code=0 id=1 src=fd00::2 dst=fd00::1 type=129 code=0 id=1 mark=0 use=1", "fd00::1", "fd00::2", 58)]
    [InlineData("ipv4     2 gre      47 29 timeout=30, stream_timeout=180 src=10.0.0.1 dst=10.0.0.2 srckey=0x0 dstkey=0x0 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 srckey=0x0 dstkey=0x0 mark=0 zone=0 use=2", "10.0.0.1", "10.0.0.2", 47)]
    [InlineData("ipv4     2 unknown  2 599 src=10.0.0.5 dst=224.0.0.22 [UNREPLIED] src=224.0.0.22 dst=10.0.0.5 mark=0 zone=0 use=2", "10.0.0.5", "224.0.0.22", 2)]
    [InlineData("unknown  253 599 src=10.0.0.5 dst=10.0.0.6 [UNREPLIED] src=10.0.0.6 dst=10.0.0.5 mark=0 use=1", "10.0.0.5", "10.0.0.6", 253)]
    [InlineData("ipv4     2 tcp      6 ESTABLISHED src=10.0.0.5 dst=10.0.0.6 sport=1 dport=22 src=10.0.0.6 dst=10.0.0.5 sport=22 dport=1 [OFFLOAD] mark=0 use=2", "10.0.0.5", "10.0.0.6", 6)]
    [InlineData("tcp      6 ESTABLISHED src=10.0.0.5 dst=10.0.0.8 sport=1 dport=22 src=10.0.0.8 dst=10.0.0.5 sport=22 dport=1 [OFFLOAD] mark=0 use=2", "10.0.0.5", "10.0.0.8", 6)]
    [InlineData("udp      17 src=10.0.0.5 dst=10.0.0.9 sport=1 dport=53 src=10.0.0.9 dst=10.0.0.5 sport=53 dport=1 [HW_OFFLOAD] mark=0 use=2", "10.0.0.5", "10.0.0.9", 17)]
    [InlineData("ipv4     2 tcp      6 299 ESTABLISHED src=192.168.1.10 dst=93.184.216.34 sport=1 dport=443 src=93.184.216.34 dst=192.168.1.10 sport=443 dport=1 [ASSURED] mark=0 secctx=system_u:object_r:unlabeled_t:s0 zone=3 use=1", "192.168.1.10", "93.184.216.34", 6)]
    [InlineData("ipv6     10 udp      17 29 src=2001:DB8:0:0:0:0:0:A dst=::ffff:198.51.100.7 sport=1 dport=2 [UNREPLIED] src=::ffff:198.51.100.7 dst=2001:db8::a sport=2 dport=1 mark=7 labels=blue,red use=1 id=123456789", "2001:db8::a", "::ffff:198.51.100.7", 17)]
    [InlineData("ipv4     2 tcp      6 117 TIME_WAIT src=172.16.0.1 dst=172.16.0.2 sport=1 dport=2 src=172.16.0.2 dst=172.16.0.1 sport=2 dport=1 [ASSURED] mark=0 use=1\r", "172.16.0.1", "172.16.0.2", 6)]
    [InlineData("  ipv4  2  tcp  6  10  ESTABLISHED  src=10.0.0.1  dst=10.0.0.2", "10.0.0.1", "10.0.0.2", 6)]
    public void Reads_the_original_tuple_and_protocol_number(string line, string source, string destination, byte protocol)
    {
        Assert.Equal(ConntrackLineKind.Flow, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out ConntrackFlow flow));
        Assert.Equal(IpKey.Parse(source), flow.Source);
        Assert.Equal(IpKey.Parse(destination), flow.Destination);
        Assert.Equal(protocol, flow.Protocol);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    [InlineData("conntrack v1.4.7 (conntrack-tools): 17 flow entries have been shown.")]
    [InlineData("conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\r")]
    public void Blank_and_summary_lines_are_not_entries(string line) =>
        Assert.Equal(ConntrackLineKind.Ignored, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out _));

    [Theory]
    [InlineData("ipv4")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED dst=10.0.0.1 sport=1 dport=2")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src= dst=10.0.0.1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.256 dst=10.0.0.1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=010.0.0.1 dst=10.0.0.1")]
    [InlineData("ipv6     10 tcp      6 431999 ESTABLISHED src=fe80::1%eth0 dst=fe80::2")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=fd00::1 dst=10.0.0.1")]
    [InlineData("ipv6     10 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2")]
    [InlineData("ipv4     2 tcp      256 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2")]
    [InlineData("ipv4     x tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2")]
    [InlineData("src=10.0.0.1 dst=10.0.0.2")]
    [InlineData("123 tcp 6 src=10.0.0.1 dst=10.0.0.2")]
    [InlineData("tcp 6")]
    [InlineData("\u0001\u00ff\u0000garbage src=1.2.3.4 dst=5.6.7.8")]
    // an original tuple without its src= or dst=: the reply tuple's addresses are not the original's
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED dst=10.0.0.1 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 sport=1 dport=2 dst=10.0.0.2 mark=0 use=1")]
    // a zone that is not a number 0-65535
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=0 zone=65536 use=1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=0 zone=x use=1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 mark=0 zone= use=1")]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 zone-orig=-1 sport=1 dport=2 mark=0 use=1")]
    public void Malformed_lines_are_reported_not_thrown(string line) =>
        Assert.Equal(ConntrackLineKind.Malformed, ConntrackLineParser.Parse(Encoding.Latin1.GetBytes(line), out _));

    [Theory]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 src=198.51.100.9 dst=10.0.0.5 sport=443 dport=40000 [ASSURED] mark=0 zone=5 use=1", 5)]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 packets=3 bytes=180 src=198.51.100.9 dst=10.0.0.5 sport=443 dport=40000 packets=2 bytes=120 [ASSURED] mark=0 secctx=system_u:object_r:unlabeled_t:s0 zone=65535 use=1 labels=0x1", 65535)]
    [InlineData("ipv4     2 udp      17 29 src=10.0.0.5 dst=198.51.100.9 sport=1 dport=53 zone-orig=4097 [UNREPLIED] src=198.51.100.9 dst=10.0.0.5 sport=53 dport=1 mark=0 use=1", 4097)]
    [InlineData("ipv6     10 tcp      6 10 ESTABLISHED src=fd00:0000:0000:0000:0000:0000:0000:0005 dst=fd00:0000:0000:0000:0000:0000:0000:0009 sport=1 dport=2 src=fd00:0000:0000:0000:0000:0000:0000:0009 dst=fd00:0000:0000:0000:0000:0000:0000:0005 sport=2 dport=1 [ASSURED] mark=0 zone=0 use=2", 0)]
    [InlineData("ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=40000 dport=443 src=198.51.100.9 dst=10.0.0.5 sport=443 dport=40000 [ASSURED] mark=0 use=1", 0)]
    [InlineData("ipv4     2 tcp      6 10 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=1 dport=2 zone-orig=7 src=198.51.100.9 dst=10.0.0.5 sport=2 dport=1 zone-reply=9 mark=0 zone=11 use=1", 11)]
    [InlineData("ipv4     2 tcp      6 10 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=1 dport=2 src=198.51.100.9 dst=10.0.0.5 sport=2 dport=1 zone-reply=9 mark=0 use=1", 0)]
    [InlineData("ipv4     2 tcp      6 10 ESTABLISHED src=10.0.0.5 dst=198.51.100.9 sport=1 dport=2 src=198.51.100.9 dst=10.0.0.5 sport=2 dport=1 mark=0 secctx=system_u:object_r:zfs_t:s0 zone=4 use=1 labels=zz", 4)]
    public void Reads_the_entrys_zone(string line, int zone)
    {
        Assert.Equal(ConntrackLineKind.Flow, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out ConntrackFlow flow));
        Assert.Equal(zone, flow.Zone);
    }

    [Fact]
    public void A_line_longer_than_the_limit_is_malformed()
    {
        string valid = "ipv4 2 tcp 6 10 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 ";
        string line = valid + new string('x', ConntrackTableReader.MaxLineLength);

        Assert.Equal(ConntrackLineKind.Malformed, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out _));
        Assert.Equal(ConntrackLineKind.Flow, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(valid.PadRight(ConntrackTableReader.MaxLineLength, 'x')), out _));
    }
}
