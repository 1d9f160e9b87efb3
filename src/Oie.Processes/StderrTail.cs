using System.Text;

namespace Oie.Processes;

/// <summary>Drains a child's stderr so it can never block on a full pipe, keeping only the end for error messages.</summary>
public static class StderrTail
{
    private const int Keep = 1024;

    public static async Task<string> DrainAsync(StreamReader stderr)
    {
        var buffer = new char[4096];
        var tail = new StringBuilder();
        int read;
        while ((read = await stderr.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Append(buffer, 0, read);
            if (tail.Length > Keep)
                tail.Remove(0, tail.Length - Keep);
        }
        return string.Join("; ", tail.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The drained text, or empty when the drain did not finish in <paramref name="wait"/> (a grandchild holds
    /// the pipe open) or failed.</summary>
    public static string Collect(Task<string> drain, TimeSpan wait)
    {
        try
        {
            return drain.Wait(wait) ? drain.Result : "";
        }
        catch (AggregateException)
        {
            return "";
        }
    }
}
