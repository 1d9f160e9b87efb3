using System.Buffers;
using System.Text;

namespace Oie.Conntrack.Tests;

internal static class Fixtures
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", name));

    public static string[] Lines(string name) =>
        Encoding.ASCII.GetString(Bytes(name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Keeps every flow, for asserting on them.</summary>
internal sealed class RecordingSink : IFlowSink
{
    public List<ConntrackFlow> Flows { get; } = [];

    public void OnFlow(in ConntrackFlow flow) => Flows.Add(flow);
}

/// <summary>Touches every flow without allocating, for the allocation tests.</summary>
internal sealed class CountingSink : IFlowSink
{
    public long Count { get; private set; }

    public int Checksum { get; private set; }

    public void OnFlow(in ConntrackFlow flow)
    {
        Count++;
        Checksum ^= flow.Source.GetHashCode() ^ flow.Destination.GetHashCode() ^ flow.Protocol;
    }
}

/// <summary>A ReadOnlySequence made of many small segments, so that lines cross segment boundaries.</summary>
internal sealed class Chunk : ReadOnlySequenceSegment<byte>
{
    private Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    public static ReadOnlySequence<byte> Split(byte[] data, Func<int> nextSize)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Chunk? first = null, last = null;
        int offset = 0;
        while (offset < data.Length)
        {
            int size = Math.Clamp(nextSize(), 1, data.Length - offset);
            var chunk = new Chunk(data.AsMemory(offset, size), offset);
            if (last is null)
            {
                first = chunk;
            }
            else
            {
                last.Next = chunk;
            }

            last = chunk;
            offset += size;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }
}
