using System.Diagnostics;

namespace Oie.Host.Tests;

/// <summary>The real <c>promtool check metrics</c> (Debian's prometheus package; scripts/install-deps.sh installs it).</summary>
internal static class Promtool
{
    /// <returns>promtool's exit code (0 clean, 1 parse error, 3 lint problems) and what it printed.</returns>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(byte[] exposition)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.BaseStream.WriteAsync(exposition);
        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }
}

internal static partial class PromtoolAssert
{
    /// <summary>
    /// The exposition parses, and the only lint findings are the seed's counter names without a _total suffix and its
    /// gauge oie_conntrack_ip_total with one, which dashboards depend on and which we therefore keep.
    /// </summary>
    public static async Task Valid(byte[] exposition)
    {
        var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
        if (exitCode == 0)
            return;
        Assert.True(exitCode == 3, $"promtool could not parse the exposition (exit {exitCode}): {output}");
        var unexpected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !SeedCounterLint().IsMatch(l)).ToList();
        Assert.True(unexpected.Count == 0, "promtool lint: " + string.Join("\n", unexpected));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^((oie_disk_[rw]_(gbytes|requests)|oie_net_[rt]x_gbytes) counter metrics should have \"_total\" suffix|oie_conntrack_ip_total non-counter metrics should not have \"_total\" suffix)$")]
    private static partial System.Text.RegularExpressions.Regex SeedCounterLint();
}
