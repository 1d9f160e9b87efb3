using System.Buffers;
using System.IO.Pipelines;

namespace Oie.Conntrack;

/// <summary>
/// Streams conntrack table text into an <see cref="IFlowSink"/>: one <see cref="IFlowSink.OnFlow"/> per well-formed
/// line, malformed lines counted and skipped, nothing thrown on content. Allocates nothing per line: lines inside one
/// buffer segment are parsed in place; a line that crosses segments is copied into one pooled scratch buffer.
/// </summary>
public static class ConntrackTableReader
{
    /// <summary>Lines longer than this (without the newline) are malformed. Real entries are under 600 bytes.</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Reads <paramref name="input"/> to its end. Does not complete <paramref name="input"/>: its owner does.
    /// Throws only <see cref="OperationCanceledException"/> on cancellation, or what the reader itself throws.</summary>
    public static async ValueTask<ConntrackReadResult> ReadAsync<TSink>(PipeReader input, TSink sink, CancellationToken cancellationToken)
        where TSink : IFlowSink
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = new ReadState();
        byte[] scratch = ArrayPool<byte>.Shared.Rent(MaxLineLength);
        try
        {
            while (true)
            {
                ReadResult result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                SequencePosition consumed = ReadLines(buffer, ref sink, scratch, ref state);
                if (result.IsCompleted || result.IsCanceled)
                {
                    ReadLastLine(buffer.Slice(consumed), ref sink, scratch, ref state);
                    input.AdvanceTo(buffer.End);
                    return state.Result;
                }

                input.AdvanceTo(consumed, buffer.End);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>The same parser over text already in memory.</summary>
    public static ConntrackReadResult Read<TSink>(ReadOnlySpan<byte> text, TSink sink)
        where TSink : IFlowSink
    {
        var state = new ReadState();
        while (!text.IsEmpty)
        {
            int newline = text.IndexOf((byte)'\n');
            if (newline < 0)
            {
                state.OnLine(text, ref sink);
                break;
            }

            state.OnLine(text[..newline], ref sink);
            text = text[(newline + 1)..];
        }

        return state.Result;
    }

    /// <summary>Parses every complete line of <paramref name="buffer"/>; returns where the unfinished tail starts.</summary>
    private static SequencePosition ReadLines<TSink>(ReadOnlySequence<byte> buffer, ref TSink sink, byte[] scratch, ref ReadState state)
        where TSink : IFlowSink
    {
        var reader = new SequenceReader<byte>(buffer);
        while (!reader.End)
        {
            ReadOnlySpan<byte> span = reader.UnreadSpan;
            int newline = span.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                state.OnLine(span[..newline], ref sink);
                reader.Advance(newline + 1);
                continue;
            }

            // The line crosses a segment boundary. The ReadOnlySequence overload: the span overload would allocate here.
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                state.OnLine(line, ref sink, scratch);
                continue;
            }

            if (state.Skipping || reader.Remaining > MaxLineLength)
            {
                state.Skipping = true;
                reader.AdvanceToEnd();
            }

            break;
        }

        return reader.Position;
    }

    private static void ReadLastLine<TSink>(ReadOnlySequence<byte> tail, ref TSink sink, byte[] scratch, ref ReadState state)
        where TSink : IFlowSink
    {
        if (!tail.IsEmpty || state.Skipping)
        {
            state.OnLine(tail, ref sink, scratch);
        }
    }

    private struct ReadState
    {
        private long _lines;
        private long _flows;
        private long _malformed;

        /// <summary>Inside a line already known to be too long, discarding until its newline.</summary>
        public bool Skipping;

        public readonly ConntrackReadResult Result => new(_lines, _flows, _malformed);

        public void OnLine<TSink>(ReadOnlySequence<byte> line, ref TSink sink, byte[] scratch)
            where TSink : IFlowSink
        {
            if (Skipping || line.Length > MaxLineLength)
            {
                Skipping = false;
                _lines++;
                _malformed++;
                return;
            }

            if (line.IsSingleSegment)
            {
                OnLine(line.FirstSpan, ref sink);
                return;
            }

            line.CopyTo(scratch);
            OnLine(scratch.AsSpan(0, (int)line.Length), ref sink);
        }

        public void OnLine<TSink>(ReadOnlySpan<byte> line, ref TSink sink)
            where TSink : IFlowSink
        {
            if (Skipping)
            {
                Skipping = false;
                _lines++;
                _malformed++;
                return;
            }

            switch (ConntrackLineParser.Parse(line, out ConntrackFlow flow))
            {
                case ConntrackLineKind.Flow:
                    _lines++;
                    _flows++;
                    sink.OnFlow(in flow);
                    break;
                case ConntrackLineKind.Malformed:
                    _lines++;
                    _malformed++;
                    break;
            }
        }
    }
}
