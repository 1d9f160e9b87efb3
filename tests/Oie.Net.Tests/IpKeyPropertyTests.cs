using System.Net;
using System.Text;
using CsCheck;
using Oie.Tests;

namespace Oie.Net.Tests;

/// <summary>
/// Round-trips, and agreement with System.Net.IPAddress on generated spellings and mutations of them. IPAddress accepts
/// more than we do (zones, brackets, ports, 1-3 part and octal/hex IPv4), so: whatever we accept it must accept with the
/// same bytes; where both accept, the text must match except for the embedded-IPv4 forms the two choose differently.
/// </summary>
public class IpKeyPropertyTests
{
    private static readonly Gen<UInt128> SparseV6 =
        Gen.Frequency((3, Gen.Const((ushort)0)), (1, Gen.Const((ushort)0xFFFF)), (2, Gen.UShort[0, 0xFF]), (4, Gen.UShort))
            .Array[8]
            .Select(groups => groups.Aggregate((UInt128)0, (value, g) => (value << 16) | g));

    private static readonly Gen<UInt128> AnyV6 = Gen.Frequency(
        (3, SparseV6),
        (2, Gen.UInt128),
        (1, Gen.UInt.Select(v4 => ((UInt128)0xFFFF << 32) | v4)));

    [Fact]
    public void IPv4_formats_and_parses_back_to_itself() =>
        Gen.UInt.SampleFixed(value =>
        {
            IpKey key = IpKey.FromV4(value);
            string text = key.ToString();
            Assert.True(IpKey.TryParse(text, out IpKey parsed), text);
            Assert.Equal(key, parsed);
            Assert.Equal(new IPAddress(BitConverter.IsLittleEndian ? ReverseBytes(value) : value).ToString(), text);
        }, iter: 20_000);

    [Fact]
    public void IPv6_formats_and_parses_back_to_itself() =>
        AnyV6.SampleFixed(value =>
        {
            IpKey key = IpKey.FromV6(value);
            string text = key.ToString();
            Assert.True(IpKey.TryParse(text, out IpKey parsed), text);
            Assert.Equal(key, parsed);
            Assert.True(IpKey.TryParse(Encoding.ASCII.GetBytes(text), out IpKey fromBytes), text);
            Assert.Equal(key, fromBytes);
            AssertAgreesWithIPAddress(text, key);
        }, iter: 20_000);

    [Fact]
    public void Every_legal_spelling_parses_to_the_same_key() =>
        Gen.Select(AnyV6, Gen.Int).SampleFixed(((UInt128 value, int spellingSeed) c) =>
        {
            string text = Spellings.SpellV6(c.value, new Random(c.spellingSeed));
            Assert.True(IpKey.TryParse(text, out IpKey key), text);
            Assert.Equal(IpKey.FromV6(c.value), key);
            AssertAgreesWithIPAddress(text, key);
        }, iter: 20_000);

    [Fact]
    public void Mutated_text_is_never_accepted_where_IPAddress_rejects_it() =>
        Gen.Select(AnyV6, Gen.UInt, Gen.Int).SampleFixed(((UInt128 v6, uint v4, int mutationSeed) c) =>
        {
            var random = new Random(c.mutationSeed);
            string valid = random.Next(3) == 0 ? IpKey.FromV4(c.v4).ToString() : Spellings.SpellV6(c.v6, random);
            string text = Spellings.Mutate(valid, random);
            if (IpKey.TryParse(text, out IpKey key))
            {
                AssertAgreesWithIPAddress(text, key);
            }
            else
            {
                Assert.False(IpKey.TryParse(Encoding.UTF8.GetBytes(text), out _), text);
            }
        }, iter: 50_000);

    private static void AssertAgreesWithIPAddress(string text, IpKey key)
    {
        Assert.True(IPAddress.TryParse(text, out IPAddress? address), $"we accept '{text}', IPAddress does not");
        Assert.Equal(key.IsV4 ? System.Net.Sockets.AddressFamily.InterNetwork : System.Net.Sockets.AddressFamily.InterNetworkV6, address.AddressFamily);
        byte[] bytes = address.GetAddressBytes();
        UInt128 value = bytes.Aggregate((UInt128)0, (v, b) => (v << 8) | b);
        Assert.Equal(key.Value, value);
        if (key.IsV4 || DotNetEmbedsIPv4(bytes) == IsMapped(key))
        {
            Assert.Equal(address.ToString(), key.ToString());
        }
    }

    private static bool IsMapped(IpKey key) => key.IsV6 && key.Value >> 32 == 0xFFFF;

    /// <summary>IPAddress.ToString writes a dotted tail for IPv4-compatible, -mapped (when the tail's high group is not
    /// 0), SIIT and ISATAP addresses; we write one for IPv4-mapped addresses only, as RFC 5952 section 5 asks.</summary>
    private static bool DotNetEmbedsIPv4(byte[] bytes)
    {
        var n = new ushort[8];
        for (int i = 0; i < 8; i++)
        {
            n[i] = (ushort)((bytes[2 * i] << 8) | bytes[(2 * i) + 1]);
        }

        bool zeroPrefix = n[0] == 0 && n[1] == 0 && n[2] == 0 && n[3] == 0 && n[6] != 0;
        return (zeroPrefix && ((n[4] == 0 && (n[5] == 0 || n[5] == 0xFFFF)) || (n[4] == 0xFFFF && n[5] == 0))) ||
            (n[4] == 0 && n[5] == 0x5EFE);
    }

    private static uint ReverseBytes(uint value) => System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(value);
}
