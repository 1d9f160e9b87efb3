using System.Diagnostics;
using System.Text;
using Oie.Testing;

namespace Oie.EndToEnd.Tests;

/// <summary>
/// A long-running process this suite started, in the foreground (never daemonized), so its PID is known. Its stdout and
/// stderr go to a log file; its PID is recorded in the run directory so a later run can end it if this one died.
/// <see cref="Dispose"/> kills it by PID (its children too) and waits for it.
/// </summary>
internal sealed class Daemon : IDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly RunDirectory _run;
    private readonly Lock _gate = new();

    private Daemon(string name, Process process, StreamWriter log, RunDirectory run, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        _run = run;
        LogPath = logPath;
    }

    public string Name { get; }
    public int Pid => _process.Id;
    public string LogPath { get; }
    public bool HasExited => _process.HasExited;

    public static Daemon Start(RunDirectory run, string name, params string[] argv) => StartAs(run, name, Path.GetFileName(argv[0]), argv);

    /// <summary>Starts <paramref name="argv"/>; <paramref name="program"/> is what it becomes (nsenter and ip netns exec exec it).</summary>
    public static Daemon StartAs(RunDirectory run, string name, string program, params string[] argv)
    {
        var logPath = run.File(name + ".log");
        var log = new StreamWriter(logPath, append: true, Encoding.UTF8) { AutoFlush = true };
        var process = Process.Start(Programs.StartInfo(argv)) ?? throw new InvalidOperationException($"{argv[0]} did not start");
        var daemon = new Daemon(name, process, log, run, logPath);
        run.RecordPid(name, process.Id, program);
        process.OutputDataReceived += (_, e) => daemon.Append(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.StandardInput.Close();
        return daemon;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_gate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    /// <summary>The log so far (the last <paramref name="maxChars"/> characters), for failure messages.</summary>
    public string Log(int maxChars = 6000)
    {
        string text;
        lock (_gate)
        {
            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            text = new StreamReader(stream).ReadToEnd();
        }
        var tail = text.Length > maxChars ? "…" + text[^maxChars..] : text;
        return $"--- {Name} (pid {Pid}{(HasExited ? $", exited {_process.ExitCode}" : "")}) log {LogPath}:\n{tail}";
    }

    /// <summary>SIGKILL by PID (the process and its children) and reap it.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        _run.ForgetPid(Name, _process.Id);
    }

    public void Dispose()
    {
        Kill();
        _process.WaitForExit(10_000);
        lock (_gate)
            _log.Dispose();
        _process.Dispose();
    }
}
