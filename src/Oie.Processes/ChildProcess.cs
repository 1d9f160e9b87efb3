using System.ComponentModel;
using System.Diagnostics;

namespace Oie.Processes;

/// <summary>Starting and stopping the node's tools the way the exporter must: argv as given without a shell,
/// LC_ALL=C, stdin closed, stdout and stderr redirected; a kill takes the whole process tree.</summary>
public static class ChildProcess
{
    /// <summary>Starts <paramref name="argv"/>; throws <see cref="ChildProcessStartException"/> ("cannot run DISPLAY: why").</summary>
    /// <param name="display">How messages name the command, e.g. <c>`conntrack -L -o extended -f ipv4`</c>.</param>
    public static Process Start(IReadOnlyList<string> argv, string display)
    {
        if (argv.Count == 0 || string.IsNullOrEmpty(argv[0]))
            throw new ChildProcessStartException($"cannot run {display}: no program given");
        var startInfo = new ProcessStartInfo(argv[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        for (var i = 1; i < argv.Count; i++)
            startInfo.ArgumentList.Add(argv[i]);
        startInfo.Environment["LC_ALL"] = "C";
        try
        {
            var process = Process.Start(startInfo) ?? throw new InvalidOperationException("no process was started");
            process.StandardInput.Close();
            return process;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException)
        {
            throw new ChildProcessStartException($"cannot run {display}: {ex.Message}", ex);
        }
    }

    /// <summary>How long stderr may stay open after the tool exited (a grandchild holding it) before it is left.</summary>
    public static readonly TimeSpan StderrGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>However the run ended (a parser exception included), the child does not outlive it: killed with its
    /// tree if it still runs, always waited for so that no zombie is left; returns the end of its stderr.</summary>
    /// <param name="stderr">The <see cref="StderrTail.DrainAsync"/> started with the process.</param>
    public static string StopAndReap(Process process, Task<string> stderr)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (!process.HasExited)
            KillTree(process);
        process.WaitForExit();
        return StderrTail.Collect(stderr, StderrGrace);
    }

    /// <summary>Kills the process and everything it started; false when it had already exited.</summary>
    public static bool KillTree(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
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
}

/// <summary>A tool could not be started (missing, not executable); the message names the command and why.</summary>
public sealed class ChildProcessStartException(string message, Exception? inner = null) : Exception(message, inner);
