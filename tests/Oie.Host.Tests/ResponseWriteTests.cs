using Oie.Host.Http;

namespace Oie.Host.Tests;

/// <summary>A response hands Kestrel its body a bounded chunk at a time, so Kestrel's memory pool never grows to a whole
/// 9 MB plain exposition (which it would keep for the life of the process).</summary>
public sealed class ResponseWriteTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(ExporterEndpoints.WriteChunkBytes)]
    [InlineData(9_082_763)] // a 1,000-instance node's plain exposition
    public async Task A_body_is_written_whole_and_in_order_in_writes_of_at_most_one_chunk(int length)
    {
        var body = new byte[length];
        new Random(length).NextBytes(body);
        var response = new RecordingStream();

        await ExporterEndpoints.WriteInChunks(response, body);

        Assert.Equal(body, response.ToArray());
        Assert.All(response.Writes, size => Assert.InRange(size, 1, ExporterEndpoints.WriteChunkBytes));
        Assert.Equal((length + ExporterEndpoints.WriteChunkBytes - 1) / ExporterEndpoints.WriteChunkBytes, response.Writes.Count);
    }

    private sealed class RecordingStream : MemoryStream
    {
        public List<int> Writes { get; } = [];

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes.Add(buffer.Length);
            return base.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes.Add(count);
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes.Add(buffer.Length);
            base.Write(buffer);
        }
    }
}
