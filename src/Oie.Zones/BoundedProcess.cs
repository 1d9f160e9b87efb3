using System.Text;
using Oie.Processes;

namespace Oie.Zones;

/// <summary>What a finished <see cref="BoundedProcess"/> run printed and how it exited.</summary>
/// <param name="StderrTail">The end of stderr, lines joined with "; " (empty when it said nothing).</param>
internal readonly record struct BoundedProcessResult(int ExitCode, string Stdout, string StderrTail);

/// <summary>
/// Runs a program without a shell (argv as given, LC_ALL=C, stdin closed), reads its stdout up to a size limit and
/// drains stderr keeping the tail. When the deadline passes or stdout grows past the limit, the whole process tree is
/// killed. The child is always waited for, so no zombie is left behind.
/// </summary>
internal static class BoundedProcess
{
    /// <param name="display">How messages name the command, e.g. <c>`iptables-save -t raw`</c>.</param>
    /// <param name="started">Told the child's PID once it runs (for tests).</param>
    public static BoundedProcessResult Run(IReadOnlyList<string> argv, string display, int maxStdoutBytes,
        CancellationToken deadline, Action<int>? started = null)
    {
        if (deadline.IsCancellationRequested)
            throw new BoundedProcessException(BoundedProcessFailure.TimedOut, $"{display} was not started: the deadline had already passed");
        System.Diagnostics.Process process;
        try
        {
            process = ChildProcess.Start(argv, display);
        }
        catch (ChildProcessStartException ex)
        {
            throw new BoundedProcessException(BoundedProcessFailure.CannotStart, ex.Message, ex.InnerException);
        }
        using var _ = process;
        started?.Invoke(process.Id);
        var stderr = StderrTail.DrainAsync(process.StandardError);
        var stdout = ReadBoundedAsync(process.StandardOutput.BaseStream, maxStdoutBytes);
        var timedOut = false;
        byte[]? output = null;
        string stderrText;
        try
        {
            using var onDeadline = deadline.Register(() => timedOut |= ChildProcess.KillTree(process));
            stdout.Wait(deadline);
            output = stdout.Result;
            if (output is not null)
                process.WaitForExitAsync(deadline).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            timedOut = true;
        }
        catch (AggregateException ex) when (ex.InnerException is IOException io)
        {
            throw new BoundedProcessException(BoundedProcessFailure.OutputUnreadable, $"cannot read the output of {display}: {io.Message}", io);
        }
        finally
        {
            stderrText = ChildProcess.StopAndReap(process, stderr);
        }
        if (timedOut)
            throw new BoundedProcessException(BoundedProcessFailure.TimedOut, $"{display} did not finish before the deadline and was killed");
        if (output is null)
        {
            throw new BoundedProcessException(BoundedProcessFailure.OutputTooLarge,
                $"{display} printed more than {ByteSize.Format(maxStdoutBytes)} and was killed");
        }

        return new BoundedProcessResult(process.ExitCode, Encoding.UTF8.GetString(output), stderrText);
    }

    /// <summary>All of stdout, or null as soon as it exceeds <paramref name="limit"/> bytes.</summary>
    private static async Task<byte[]?> ReadBoundedAsync(Stream stdout, int limit)
    {
        using var collected = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stdout.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (collected.Length + read > limit)
                return null;
            collected.Write(buffer, 0, read);
        }
        return collected.ToArray();
    }
}
