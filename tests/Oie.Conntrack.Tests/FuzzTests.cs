using System.IO.Pipelines;
using System.Text;
using CsCheck;
using Oie.Tests;

namespace Oie.Conntrack.Tests;

/// <summary>
/// 2,000 generated tables of 60 lines (120k lines): well-formed lines of every shape, mutations of them, binary garbage,
/// blank and summary lines, over-long lines, CRLF. Nothing may throw; every table must read the same in memory, through a
/// PipeReader cut at random points and from a stream read in random pieces; Lines == Flows + Malformed; every unmutated line is its expected flow.
/// </summary>
public class FuzzTests
{
    private const int LinesPerTable = 60;

    [Fact]
    public void Generated_and_mutated_tables_never_throw_and_always_add_up() =>
        Gen.Int.SampleFixed(tableSeed =>
        {
            var random = new Random(tableSeed);
            var table = new List<byte[]>(LinesPerTable);
            var expected = new List<ConntrackFlow>();
            for (int i = 0; i < LinesPerTable; i++)
            {
                table.Add(NextLine(random, expected));
            }

            byte[] text = Join(table, random);
            long entries = table.Count(line => ConntrackLineParser.Parse(line, out _) != ConntrackLineKind.Ignored && line.Length <= ConntrackTableReader.MaxLineLength)
                + table.Count(line => line.Length > ConntrackTableReader.MaxLineLength);

            var inMemory = new RecordingSink();
            ConntrackReadResult result = ConntrackTableReader.Read(text, inMemory);
            var streamed = new RecordingSink();
            PipeReader reader = PipeReader.Create(Chunk.Split(text, () => random.Next(1, 400)));
            ConntrackReadResult streamedResult = ConntrackTableReader.ReadAsync(reader, streamed, CancellationToken.None).AsTask().GetAwaiter().GetResult();

            var piecewise = new RecordingSink();
            ConntrackReadResult piecewiseResult = ConntrackTableReader.Read(new PiecewiseStream(text, () => random.Next(1, 400)), piecewise, CancellationToken.None);

            Assert.Equal(result, streamedResult);
            Assert.Equal(inMemory.Flows, streamed.Flows);
            Assert.Equal(result, piecewiseResult);
            Assert.Equal(inMemory.Flows, piecewise.Flows);
            Assert.Equal(result.Lines, result.Flows + result.Malformed);
            Assert.Equal(entries, result.Lines);
            Assert.Equal(inMemory.Flows.Count, result.Flows);
            Assert.True(result.Flows >= expected.Count);
            Assert.Empty(expected.Except(inMemory.Flows));
        }, iter: 2_000);

    private static byte[] NextLine(Random random, List<ConntrackFlow> expected)
    {
        int kind = random.Next(100);
        if (kind < 45)
        {
            string line = GeneratedLines.Line(random, out ConntrackFlow flow);
            Assert.Equal(ConntrackLineKind.Flow, ConntrackLineParser.Parse(Encoding.ASCII.GetBytes(line), out ConntrackFlow parsed));
            Assert.Equal(flow, parsed);
            expected.Add(flow);
            return Encoding.ASCII.GetBytes(random.Next(10) == 0 ? line + "\r" : line);
        }

        return kind switch
        {
            < 85 => Encoding.Latin1.GetBytes(GeneratedLines.Mutate(GeneratedLines.Line(random, out _), random)),
            < 92 => GeneratedLines.Garbage(random),
            < 95 => random.Next(2) == 0 ? [] : " \r"u8.ToArray(),
            < 97 => "conntrack v1.4.7 (conntrack-tools): 12 flow entries have been shown."u8.ToArray(),
            _ => Encoding.ASCII.GetBytes(GeneratedLines.Line(random, out _) + " labels=" + new string('x', random.Next(4000, 9000))),
        };
    }

    /// <summary>Newline-separated, the last line sometimes without its newline.</summary>
    private static byte[] Join(List<byte[]> lines, Random random)
    {
        var text = new List<byte>();
        foreach (byte[] line in lines)
        {
            text.AddRange(line);
            text.Add((byte)'\n');
        }

        if (random.Next(2) == 0)
        {
            text.RemoveAt(text.Count - 1);
        }

        return [.. text];
    }
}
