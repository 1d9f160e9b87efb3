using System.IO.Pipelines;
using System.Text;
using Oie.Benchmarks;

namespace Oie.Conntrack.Tests;

/// <summary>
/// Every capture shape the benchmark times (accounting on/off, 0/20/50 % IPv6, zones, NAT, [UNREPLIED], secctx= and
/// labels=, the /proc layout) reads as generated through every reader (memory, a stream read in random pieces, a
/// PipeReader over random segments): the same flows in order, addresses, protocol and zone, as the generator and a
/// straightforward tokenising reference say; and with some lines broken, the same flows and malformed count as
/// <see cref="ConntrackLineParser.Parse"/> line by line.
/// </summary>
public class CaptureShapeTests
{
    private const int Lines = 4_000;

    public static TheoryData<string> Shapes() => [.. CaptureShape.All.Select(s => s.Name)];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_shape_reads_as_generated_through_every_reader(string name)
    {
        CaptureShape shape = CaptureShape.Named(name);
        var random = new Random(name.Length * 7919);
        var truth = new List<ConntrackFlow>();
        var text = new StringBuilder();
        var line = new StringBuilder();
        for (int i = 0; i < Lines; i++)
        {
            line.Clear();
            shape.AppendLine(line, random, 1_000, out ConntrackFlow flow);
            string written = line.ToString();
            Assert.Equal(flow, ReferenceParser.Parse(written));
            truth.Add(flow);
            text.Append(written).Append('\n');
        }

        byte[] bytes = Encoding.ASCII.GetBytes(text.ToString());
        foreach ((string reader, ConntrackReadResult result, List<ConntrackFlow> flows) in ReadEveryWay(bytes, random))
        {
            Assert.True(new ConntrackReadResult(Lines, Lines, 0) == result, $"{name}, {reader}: {result}");
            Assert.True(truth.SequenceEqual(flows), $"{name}, {reader}: first difference at line {FirstDifference(truth, flows)}");
        }

        if (shape.Zones)
        {
            Assert.All(truth, f => Assert.NotEqual(0, f.Zone));
        }

        if (shape.V6Percent > 0)
        {
            Assert.Contains(truth, f => f.Source.IsV6);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Broken_lines_of_every_shape_are_counted_as_the_line_parser_counts_them(string name)
    {
        CaptureShape shape = CaptureShape.Named(name);
        var random = new Random(name.Length * 104729);
        var expected = new List<ConntrackFlow>();
        long malformed = 0, lines = 0;
        var text = new List<byte>();
        var line = new StringBuilder();
        for (int i = 0; i < Lines; i++)
        {
            line.Clear();
            shape.AppendLine(line, random, 1_000, out _);
            byte[] written = Encoding.Latin1.GetBytes(random.Next(10) == 0 ? GeneratedLines.Mutate(line.ToString(), random) : line.ToString());
            switch (ConntrackLineParser.Parse(written, out ConntrackFlow flow))
            {
                case ConntrackLineKind.Flow:
                    expected.Add(flow);
                    lines++;
                    break;
                case ConntrackLineKind.Malformed:
                    malformed++;
                    lines++;
                    break;
            }

            text.AddRange(written);
            text.Add((byte)'\n');
        }

        Assert.InRange(malformed, Lines / 40, Lines / 8); // the mutations did break lines
        foreach ((string reader, ConntrackReadResult result, List<ConntrackFlow> flows) in ReadEveryWay([.. text], random))
        {
            Assert.True(new ConntrackReadResult(lines, expected.Count, malformed) == result, $"{name}, {reader}: {result}");
            Assert.True(expected.SequenceEqual(flows), $"{name}, {reader}: first difference at line {FirstDifference(expected, flows)}");
        }
    }

    internal static IEnumerable<(string Reader, ConntrackReadResult Result, List<ConntrackFlow> Flows)> ReadEveryWay(byte[] text, Random random)
    {
        var memory = new RecordingSink();
        yield return ("memory", ConntrackTableReader.Read(text, memory), memory.Flows);

        var stream = new RecordingSink();
        yield return ("stream", ConntrackTableReader.Read(new PiecewiseStream(text, () => random.Next(1, 3_000)), stream, CancellationToken.None), stream.Flows);

        var piped = new RecordingSink();
        PipeReader reader = PipeReader.Create(Chunk.Split(text, () => random.Next(1, 3_000)));
        yield return ("pipe", ConntrackTableReader.ReadAsync(reader, piped, CancellationToken.None).AsTask().GetAwaiter().GetResult(), piped.Flows);
    }

    private static int FirstDifference(List<ConntrackFlow> expected, List<ConntrackFlow> actual)
    {
        int i = 0;
        while (i < expected.Count && i < actual.Count && expected[i] == actual[i])
        {
            i++;
        }

        return i;
    }

    /// <summary>The obvious way to read a well-formed line: split on spaces, the family from the first token, the
    /// protocol number from the fourth, the first src= and the dst= right after it, the last zone= (0 without).</summary>
    private static class ReferenceParser
    {
        public static ConntrackFlow Parse(string line)
        {
            string[] tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int src = Array.FindIndex(tokens, t => t.StartsWith("src=", StringComparison.Ordinal));
            Assert.StartsWith("dst=", tokens[src + 1], StringComparison.Ordinal);
            IpKey source = IpKey.Parse(tokens[src][4..]), destination = IpKey.Parse(tokens[src + 1][4..]);
            Assert.Equal(tokens[0] == "ipv6" ? IpFamily.V6 : IpFamily.V4, source.Family);
            string? zone = tokens.LastOrDefault(t => t.StartsWith("zone=", StringComparison.Ordinal));
            return new ConntrackFlow(source, destination, byte.Parse(tokens[3], System.Globalization.CultureInfo.InvariantCulture),
                zone is null ? (ushort)0 : ushort.Parse(zone[5..], System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>A read-only stream that returns at most the next of <paramref name="nextSize"/> bytes per read, so that
/// lines cross reads.</summary>
internal sealed class PiecewiseStream(byte[] data, Func<int> nextSize) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = Math.Min(Math.Min(count, nextSize()), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer.AsSpan(offset));
        _position += n;
        return n;
    }

    public override void Flush() => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
