using System.IO.Pipelines;
using System.Text;

namespace Oie.Conntrack.Tests;

public class ConntrackTableReaderTests
{
    private const string Flow1 = "ipv4     2 tcp      6 10 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 mark=0 use=1";
    private const string Flow2 = "ipv6     10 udp      17 29 src=fd00::1 dst=fd00::2 sport=1 dport=2 [UNREPLIED] src=fd00::2 dst=fd00::1 sport=2 dport=1 mark=0 use=1";

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void Reads_every_line_whatever_the_line_ending(string newline)
    {
        string text = Flow1 + newline + Flow2 + newline;

        (ConntrackReadResult result, List<ConntrackFlow> flows) = ReadBoth(text);

        Assert.Equal(new ConntrackReadResult(2, 2, 0), result);
        Assert.Equal(IpKey.Parse("10.0.0.1"), flows[0].Source);
        Assert.Equal(IpKey.Parse("fd00::2"), flows[1].Destination);
    }

    [Fact]
    public void Reads_a_last_line_without_newline() =>
        Assert.Equal(new ConntrackReadResult(2, 2, 0), ReadBoth(Flow1 + "\n" + Flow2).Result);

    [Fact]
    public void Skips_blank_lines_and_the_summary_without_counting_them()
    {
        string text = "\n" + Flow1 + "\n\n   \nconntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n";

        Assert.Equal(new ConntrackReadResult(1, 1, 0), ReadBoth(text).Result);
    }

    [Fact]
    public void Counts_malformed_lines_and_goes_on()
    {
        string text = string.Join('\n', "garbage", Flow1, "ipv4 2 tcp 6 10 src=10.0.0.1", "\u0000\u00ff\u00fe", Flow2, "ipv4 2 tcp 6 1 src=1.2.3.4 dst=1.2.3.999");

        (ConntrackReadResult result, List<ConntrackFlow> flows) = ReadBoth(text);

        Assert.Equal(new ConntrackReadResult(6, 2, 4), result);
        Assert.Equal(2, flows.Count);
    }

    [Theory]
    [InlineData(ConntrackTableReader.MaxLineLength + 1)]
    [InlineData(100_000)]
    public void Over_long_lines_are_one_malformed_line_each(int length)
    {
        string longLine = Flow1 + " " + new string('x', length - Flow1.Length - 1);
        string text = longLine + "\n" + Flow2 + "\n" + longLine + "\n" + Flow1 + "\n" + longLine;

        Assert.Equal(new ConntrackReadResult(5, 2, 3), ReadBoth(text).Result);
    }

    [Fact]
    public void A_line_at_the_limit_is_read()
    {
        string line = Flow1 + " " + new string('x', ConntrackTableReader.MaxLineLength - Flow1.Length - 1);
        Assert.Equal(ConntrackTableReader.MaxLineLength, line.Length);

        Assert.Equal(new ConntrackReadResult(2, 2, 0), ReadBoth(line + "\n" + line).Result);
    }

    [Fact]
    public async Task Reads_a_stream_through_a_pipe_reader()
    {
        byte[] capture = GeneratedLines.Capture(5_000);
        using var stream = new MemoryStream(capture);
        PipeReader reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 4096));
        var sink = new CountingSink();

        ConntrackReadResult result = await ConntrackTableReader.ReadAsync(reader, sink, CancellationToken.None);
        await reader.CompleteAsync();

        Assert.Equal(new ConntrackReadResult(5_000, 5_000, 0), result);
        var expected = new CountingSink();
        ConntrackTableReader.Read(capture, expected);
        Assert.Equal(expected.Checksum, sink.Checksum);
    }

    [Fact]
    public async Task Stops_with_OperationCanceledException_when_cancelled()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Encoding.ASCII.GetBytes(Flow1 + "\n"));
        using var cancel = new CancellationTokenSource();
        ValueTask<ConntrackReadResult> read = ConntrackTableReader.ReadAsync(pipe.Reader, new CountingSink(), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await read);
    }

    /// <summary>Reads in memory and through a PipeReader over 1-7 byte segments; both must agree.</summary>
    private static (ConntrackReadResult Result, List<ConntrackFlow> Flows) ReadBoth(string text)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(text);
        var inMemory = new RecordingSink();
        ConntrackReadResult result = ConntrackTableReader.Read(bytes, inMemory);

        var random = new Random(text.Length);
        var streamed = new RecordingSink();
        PipeReader reader = PipeReader.Create(Chunk.Split(bytes, () => random.Next(1, 8)));
        ConntrackReadResult streamedResult = ConntrackTableReader.ReadAsync(reader, streamed, CancellationToken.None).AsTask().GetAwaiter().GetResult();

        Assert.Equal(result, streamedResult);
        Assert.Equal(inMemory.Flows, streamed.Flows);
        return (result, inMemory.Flows);
    }
}
