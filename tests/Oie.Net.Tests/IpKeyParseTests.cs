using System.Text;

namespace Oie.Net.Tests;

public class IpKeyParseTests
{
    [Fact]
    public void Every_spelling_of_one_IPv6_address_is_the_same_key()
    {
        IpKey upper = IpKey.Parse("2001:DB8::1");
        IpKey lower = IpKey.Parse("2001:db8::1");
        IpKey expanded = IpKey.Parse("2001:0db8:0000:0000:0000:0000:0000:0001");

        Assert.Equal(lower, upper);
        Assert.Equal(lower, expanded);
        Assert.Equal(lower.GetHashCode(), expanded.GetHashCode());
        Assert.Equal(IpFamily.V6, lower.Family);
        Assert.Equal(UInt128.Parse("20010db8000000000000000000000001", System.Globalization.NumberStyles.HexNumber), lower.Value);
        Assert.Equal("2001:db8::1", expanded.ToString());
    }

    [Fact]
    public void IPv4_is_the_low_32_bits_in_network_order()
    {
        IpKey key = IpKey.Parse("1.2.3.4");

        Assert.Equal(IpFamily.V4, key.Family);
        Assert.Equal((UInt128)0x01020304, key.Value);
        Assert.Equal(IpKey.FromV4(0x01020304), key);
        Assert.NotEqual(IpKey.FromV6(0x01020304), key);
    }

    [Theory]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("::", "::")]
    [InlineData("::1", "::1")]
    [InlineData("1::", "1::")]
    [InlineData("fd00:0201:0000:0000:0000:0000:0000:0001", "fd00:201::1")]
    [InlineData("FE80::AbCd", "fe80::abcd")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("2001:0:0:1:0:0:0:1", "2001:0:0:1::1")]
    [InlineData("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    [InlineData("0:0:1::", "0:0:1::")]
    [InlineData("::ffff:1.2.3.4", "::ffff:1.2.3.4")]
    [InlineData("::FFFF:10.0.0.1", "::ffff:10.0.0.1")]
    [InlineData("0:0:0:0:0:ffff:0a00:0001", "::ffff:10.0.0.1")]
    [InlineData("::ffff:0.0.0.0", "::ffff:0.0.0.0")]
    [InlineData("::1.2.3.4", "::102:304")]
    [InlineData("1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304")]
    [InlineData("64:ff9b::192.0.2.33", "64:ff9b::c000:221")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Parses_and_formats_canonically(string text, string canonical)
    {
        Assert.True(IpKey.TryParse(text, out IpKey key));
        Assert.Equal(canonical, key.ToString());
        Assert.True(IpKey.TryParse(Encoding.ASCII.GetBytes(text), out IpKey fromBytes));
        Assert.Equal(key, fromBytes);
        Assert.Equal(key, IpKey.Parse(canonical));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.00")]
    [InlineData("256.1.1.1")]
    [InlineData("+1.2.3.4")]
    [InlineData("-1.2.3.4")]
    [InlineData("0x1.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1..3.4")]
    [InlineData("1.2.3.")]
    [InlineData("1234.1.1.1")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:2")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("::1:2:3:4:5:6:7:8")]
    [InlineData("1::2::3")]
    [InlineData(":1::")]
    [InlineData("1::2:")]
    [InlineData("12345::")]
    [InlineData("00001::1")]
    [InlineData("g::1")]
    [InlineData("::1%eth0")]
    [InlineData("fe80::1%1")]
    [InlineData("[::1]")]
    [InlineData("::1/64")]
    [InlineData("::ffff:1.2.3")]
    [InlineData("::ffff:01.2.3.4")]
    [InlineData("::ffff:256.2.3.4")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("1:2:3:4:5:6::1.2.3.4")]
    [InlineData("::1.2.3.4:1")]
    [InlineData("1.2.3.4::")]
    [InlineData("::１")]
    public void Rejects(string text)
    {
        Assert.False(IpKey.TryParse(text, out IpKey key));
        Assert.True(key.IsDefault);
        Assert.False(IpKey.TryParse(Encoding.UTF8.GetBytes(text), out _));
        Assert.False(IpKey.TryParse(Encoding.UTF8.GetBytes(text), IpFamily.V4, out _));
        Assert.False(IpKey.TryParse(Encoding.UTF8.GetBytes(text), IpFamily.V6, out _));
    }

    [Theory]
    [InlineData("1.2.3.4", IpFamily.V4)]
    [InlineData("2001:db8::a", IpFamily.V6)]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:000a", IpFamily.V6)]
    [InlineData("::ffff:198.51.100.7", IpFamily.V6)]
    [InlineData("abcd", IpFamily.V6)]
    [InlineData("1234", IpFamily.V4)]
    public void Parsing_for_a_family_accepts_that_family_only_and_agrees_with_parsing_any(string text, IpFamily family)
    {
        byte[] ascii = Encoding.ASCII.GetBytes(text);
        bool any = IpKey.TryParse(ascii, out IpKey expected) && expected.Family == family;
        Assert.Equal(any, IpKey.TryParse(ascii, family, out IpKey key));
        Assert.Equal(any ? expected : default, key);
        Assert.False(IpKey.TryParse(ascii, family == IpFamily.V4 ? IpFamily.V6 : IpFamily.V4, out _));
    }

    [Fact]
    public void Rejects_text_longer_than_any_address()
    {
        Assert.False(IpKey.TryParse(new string('0', 46), out _));
        Assert.False(IpKey.TryParse("0000:0000:0000:0000:0000:0000:0000:0000:0000", out _));
    }

    [Fact]
    public void Keys_order_by_family_then_value_and_default_formats_empty()
    {
        IpKey[] keys = [IpKey.Parse("::1"), IpKey.Parse("10.0.0.2"), IpKey.Parse("10.0.0.1"), IpKey.Parse("::")];
        Array.Sort(keys);

        Assert.Equal(["10.0.0.1", "10.0.0.2", "::", "::1"], keys.Select(k => k.ToString()));
        Assert.Equal("", default(IpKey).ToString());
    }

    [Fact]
    public void TryFormat_reports_a_too_small_destination()
    {
        IpKey key = IpKey.Parse("2001:db8::1");
        Span<char> small = stackalloc char[5];
        Span<char> exact = stackalloc char[11];

        Assert.False(key.TryFormat(small, out _));
        Assert.True(key.TryFormat(exact, out int written));
        Assert.Equal("2001:db8::1", new string(exact[..written]));

        Span<byte> utf8 = stackalloc byte[IpKey.MaxTextLength];
        Assert.True(key.TryFormat(utf8, out int bytes));
        Assert.Equal("2001:db8::1", Encoding.ASCII.GetString(utf8[..bytes]));
    }

    [Fact]
    public void Parsing_allocates_nothing()
    {
        byte[] v6 = "2001:0db8:0000:0000:0000:0000:0000:0001"u8.ToArray();
        byte[] v4 = "192.168.100.200"u8.ToArray();
        ParseMany(v6, v4); // warm-up: tiering and on-stack replacement allocate once, whatever the count

        long before = GC.GetAllocatedBytesForCurrentThread();
        ParseMany(v6, v4);

        // 30,000 parses: one byte each would be 30 KB; the bound only leaves room for the runtime's own bookkeeping.
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 4 * 1024);
    }

    private static void ParseMany(byte[] v6, byte[] v4)
    {
        for (int i = 0; i < 10_000; i++)
        {
            IpKey.TryParse(v6, out _);
            IpKey.TryParse(v4, out _);
            IpKey.TryParse("fe80::1".AsSpan(), out _);
        }
    }
}
