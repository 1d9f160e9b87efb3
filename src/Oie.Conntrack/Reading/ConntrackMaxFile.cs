using System.Globalization;

namespace Oie.Conntrack.Reading;

/// <summary>Reads the host table's size, net.netfilter.nf_conntrack_max, from its /proc/sys file.</summary>
internal sealed class ConntrackMaxFile(string path)
{
    public string Path { get; } = path;

    /// <summary>The size, or null with the reason when the file cannot be read or does not hold a number.</summary>
    public long? TryRead(out string? error)
    {
        error = null;
        string text;
        try
        {
            text = File.ReadAllText(Path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read {Path}: {ex.Message}";
            return null;
        }
        if (long.TryParse(text.AsSpan().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var max))
            return max;
        error = $"{Path} does not hold a number";
        return null;
    }
}
