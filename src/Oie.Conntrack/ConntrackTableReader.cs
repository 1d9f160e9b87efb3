using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

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
        int used = ReadLines(text, ref sink, ref state);
        if (used < text.Length)
        {
            state.OnLine(text[used..], ref sink);
        }

        return state.Result;
    }

    /// <summary>
    /// Reads <paramref name="input"/> to its end with blocking reads of up to <see cref="StreamBufferSize"/> bytes
    /// into one pooled buffer, parsing the complete lines of each read in place (the unfinished last line moves to
    /// the buffer's start). For a file; <paramref name="cancellationToken"/> is checked between reads.
    /// </summary>
    public static ConntrackReadResult Read<TSink>(Stream input, TSink sink, CancellationToken cancellationToken)
        where TSink : IFlowSink
    {
        ArgumentNullException.ThrowIfNull(input);
        var state = new ReadState();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(StreamBufferSize);
        try
        {
            int filled = 0;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int read = input.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    if (filled > 0 || state.Skipping)
                    {
                        state.OnLine(buffer.AsSpan(0, filled), ref sink);
                    }

                    return state.Result;
                }

                filled += read;
                int used = ReadLines(buffer.AsSpan(0, filled), ref sink, ref state);
                filled -= used;
                if (filled > MaxLineLength)
                {
                    state.Skipping = true; // an unfinished line already too long: discard it up to its newline
                    filled = 0;
                }
                else
                {
                    buffer.AsSpan(used, filled).CopyTo(buffer);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>How much <see cref="Read{TSink}(Stream, TSink, CancellationToken)"/> asks for per read: few system
    /// calls, and a buffer that still fits the CPU's L2 cache.</summary>
    public const int StreamBufferSize = 256 * 1024;

    /// <summary>Parses every complete line of <paramref name="text"/>; returns the length of those lines with their
    /// newlines (an unfinished line after them is left; while <see cref="ReadState.Skipping"/>, text without a newline
    /// is all consumed).</summary>
    private static int ReadLines<TSink>(ReadOnlySpan<byte> text, ref TSink sink, ref ReadState state)
        where TSink : IFlowSink
    {
        int used = 0;
        if (state.Skipping)
        {
            int newline = text.IndexOf((byte)'\n');
            if (newline < 0)
            {
                return text.Length;
            }

            state.OnLine(text[..newline], ref sink);
            used = newline + 1;
        }

        while (true)
        {
            int length = ConntrackLineParser.ParseFirstLine(text[used..], out ConntrackLineKind kind, out ConntrackFlow flow);
            if (length < 0)
            {
                return used;
            }

            state.OnParsed(kind, in flow, ref sink);
            used += length + 1;
        }
    }

    /// <summary>Parses every complete line of <paramref name="buffer"/>; returns where the unfinished tail starts.</summary>
    private static SequencePosition ReadLines<TSink>(ReadOnlySequence<byte> buffer, ref TSink sink, byte[] scratch, ref ReadState state)
        where TSink : IFlowSink
    {
        var reader = new SequenceReader<byte>(buffer);
        while (!reader.End)
        {
            ReadOnlySpan<byte> span = reader.UnreadSpan;
            int used = ReadLines(span, ref sink, ref state);
            reader.Advance(used);
            if (used == span.Length)
            {
                continue;
            }

            // The line crosses a segment boundary. The ReadOnlySequence overload: the span overload would allocate here.
            if (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                state.OnLine(line, ref sink, scratch);
                continue;
            }

            if (reader.Remaining > MaxLineLength)
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

            ConntrackLineKind kind = ConntrackLineParser.Parse(line, out ConntrackFlow flow);
            OnParsed(kind, in flow, ref sink);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void OnParsed<TSink>(ConntrackLineKind kind, in ConntrackFlow flow, ref TSink sink)
            where TSink : IFlowSink
        {
            switch (kind)
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
