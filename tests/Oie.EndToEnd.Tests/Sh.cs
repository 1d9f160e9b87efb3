using System.Diagnostics;
using Oie.Testing;

namespace Oie.EndToEnd.Tests;

/// <summary>Runs a program (no shell) to completion with a deadline and captures its output.</summary>
internal static class Sh
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs and throws with the program's output when it exits non-zero.</summary>
    public static string Run(params string[] argv) => Run(DefaultTimeout, argv);

    public static string Run(TimeSpan timeout, params string[] argv)
    {
        var (code, stdout, stderr) = Try(timeout, argv);
        return code == 0 ? stdout
            : throw new InvalidOperationException($"`{string.Join(' ', argv)}` exited with {code}:\n{stdout}\n{stderr}");
    }

    /// <summary>Runs and returns the exit status and output; a program that outlives the timeout is killed (code -1).</summary>
    public static (int Code, string Stdout, string Stderr) Try(TimeSpan timeout, params string[] argv)
    {
        using var process = Process.Start(Programs.StartInfo(argv)) ?? throw new InvalidOperationException($"{argv[0]} did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult() + $"\n(killed after {timeout.TotalSeconds}s)");
        }
        return (process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    public static (int Code, string Stdout, string Stderr) Try(params string[] argv) => Try(DefaultTimeout, argv);
}
