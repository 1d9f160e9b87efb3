using System.Diagnostics;

namespace Oie.Host.Tests;

/// <summary>Runs a program to completion (killed with its children if it outlives the timeout) and captures its output.</summary>
internal static class ProcessRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        string program, IEnumerable<string> args, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (workingDirectory is not null)
            start.WorkingDirectory = workingDirectory;
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts a program, returns the first stdout line that matches, then kills it (with its children).</summary>
    public static async Task<string> FirstLineAsync(string program, IEnumerable<string> args, Func<string, bool> match, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var seen = new System.Text.StringBuilder();
        try
        {
            return await ReadUntil().WaitAsync(timeout ?? TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        async Task<string> ReadUntil()
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (match(line))
                    return line;
                seen.AppendLine(line);
            }
            throw new InvalidOperationException($"{program} exited ({process.ExitCode}) without a matching line; stdout:\n{seen}\nstderr:\n{await stderr}");
        }
    }
}
