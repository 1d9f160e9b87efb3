using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipelines;
using Oie.Abstractions;
using Oie.Conntrack;

namespace Oie.Collectors.Conntrack;

/// <summary>
/// Runs <c>COMMAND -L -o extended -f ipv4</c> and then <c>-f ipv6</c> without a shell (some conntrack-tools versions
/// list only IPv4 without <c>-f</c>) and parses stdout as it streams. Both runs share the cycle's deadline: when it
/// passes, the whole process tree is killed. The child is always waited for, so no zombie is left behind.
/// </summary>
internal sealed class ToolConntrackSource(IReadOnlyList<string> command, TimeSpan timeout) : IConntrackSource
{
    private static readonly string[] Families = ["ipv4", "ipv6"];
    /// <summary>How long stderr may stay open after the tool exited (a grandchild holding it) before it is left.</summary>
    private static readonly TimeSpan StderrGrace = TimeSpan.FromMilliseconds(250);
    private const int BufferSize = 64 * 1024;

    public ConntrackReadResult Read(FlowAttribution sink, CancellationToken deadline)
    {
        var total = new ConntrackReadResult(0, 0, 0);
        foreach (var family in Families)
            total = ConntrackReadPolicy.Add(total, RunOnce(family, sink, deadline));
        return total;
    }

    private ConntrackReadResult RunOnce(string family, FlowAttribution sink, CancellationToken deadline)
    {
        var display = $"`{string.Join(' ', command)} -L -o extended -f {family}`";
        if (deadline.IsCancellationRequested)
            throw TimedOut(display);
        using var process = Start(family, display);
        var stderr = StderrTail.DrainAsync(process.StandardError);
        var result = default(ConntrackReadResult);
        var timedOut = false;
        string stderrText;
        try
        {
            using var onDeadline = deadline.Register(() => timedOut |= Kill(process));
            result = ReadStdout(process, sink, deadline);
            process.WaitForExitAsync(deadline).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && deadline.IsCancellationRequested)
        {
            timedOut = true;
        }
        finally
        {
            // Whatever happened (a parser exception included), the child does not outlive this cycle: killed if it
            // still runs, and always waited for so that no zombie is left behind.
            if (!process.HasExited)
                Kill(process);
            process.WaitForExit();
            stderrText = StderrTail.Collect(stderr, StderrGrace);
        }
        if (timedOut)
            throw TimedOut(display);
        if (process.ExitCode != 0)
            throw ConntrackReadPolicy.Error(
                $"{display} exited with status {process.ExitCode}{(stderrText.Length > 0 ? ": " + stderrText : "")}");
        ConntrackReadPolicy.ThrowIfGarbage(result, display);
        return result;
    }

    private static ConntrackReadResult ReadStdout(Process process, FlowAttribution sink, CancellationToken deadline)
    {
        var reader = PipeReader.Create(process.StandardOutput.BaseStream,
            new StreamPipeReaderOptions(bufferSize: BufferSize, minimumReadSize: BufferSize / 4, leaveOpen: true));
        try
        {
            return ConntrackReadPolicy.Wait(ConntrackTableReader.ReadAsync(reader, sink, deadline));
        }
        finally
        {
            reader.Complete();
        }
    }

    private Process Start(string family, string display)
    {
        var startInfo = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < command.Count; i++)
            startInfo.ArgumentList.Add(command[i]);
        foreach (var argument in (ReadOnlySpan<string>)["-L", "-o", "extended", "-f", family])
            startInfo.ArgumentList.Add(argument);
        startInfo.Environment["LC_ALL"] = "C";
        try
        {
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("no process was started");
            process.StandardInput.Close();
            return process;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw ConntrackReadPolicy.Error($"cannot run {display}: {ex.Message} (-conntrack.command names the tool)", ex);
        }
    }

    /// <summary>Kills the process and everything it started; false when it had already exited.</summary>
    private static bool Kill(Process process)
    {
        try
        {
            if (process.HasExited)
                return false;
            process.Kill(entireProcessTree: true);
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    private CollectorSourceException TimedOut(string display) =>
        ConntrackReadPolicy.Error($"{display} did not finish within -conntrack.timeout={GoDuration.Format(timeout)} and was killed");
}
