using System.IO.Pipes;
using System.Runtime.InteropServices;
using Oie.Conntrack.Netlink;

namespace Oie.Conntrack.Reading;

/// <summary>
/// A child's stdout read with blocking reads on the caller's thread, each after a poll(2) of at most 100 ms that
/// rechecks the deadline, so a pipe that stays open after the deadline (a grandchild the tree kill missed) still ends
/// the read. The stream's own ReadAsync ran every read on the thread pool: the real tool writes 4 KiB at a time, so
/// that was a thread hop and a task per 4 KiB (≈ 60,000 per 1M entries).
/// </summary>
internal sealed unsafe class PolledPipeStream(Stream inner, SafeHandle handle, CancellationToken deadline) : Stream
{
    private const int PollSliceMilliseconds = 100;

    /// <summary>The poll-able stream over a process's stdout, or null when its handle is not a plain descriptor.</summary>
    public static PolledPipeStream? TryCreate(Stream stdout, CancellationToken deadline) => stdout switch
    {
        PipeStream pipe => new PolledPipeStream(stdout, pipe.SafePipeHandle, deadline),
        FileStream file => new PolledPipeStream(stdout, file.SafeFileHandle, deadline),
        _ => null,
    };

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var poll = new LibC.PollFd { Fd = (int)handle.DangerousGetHandle(), Events = LibC.PollIn };
        while (true)
        {
            deadline.ThrowIfCancellationRequested();
            poll.Revents = 0;
            int ready = LibC.Poll(&poll, 1, PollSliceMilliseconds);
            if (ready > 0)
            {
                return inner.Read(buffer, offset, count); // data, or 0 at the end (POLLHUP)
            }

            int errno = ready < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (ready < 0 && errno != LibC.Eintr)
            {
                throw new IOException($"cannot poll the child's output: {LibC.Describe(errno)}");
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
