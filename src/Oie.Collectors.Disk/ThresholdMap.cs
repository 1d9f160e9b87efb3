using System.Globalization;
using Oie.Abstractions;

namespace Oie.Collectors.Disk;

/// <summary>
/// A per-disk-type threshold map as written on the command line: <c>default:500,local:200,ultra:2500</c>.
/// Resolution: the disk type's entry, else the <c>default</c> entry, else the caller's fallback.
/// </summary>
public sealed class ThresholdMap
{
    /// <summary>The entry used for disk types the map does not list.</summary>
    public const string DefaultType = "default";

    private readonly Dictionary<string, double> _byType;

    private ThresholdMap(Dictionary<string, double> byType) => _byType = byType;

    public static ThresholdMap Empty { get; } = new(new Dictionary<string, double>(StringComparer.Ordinal));

    public int Count => _byType.Count;

    /// <summary>The threshold for <paramref name="diskType"/>: its entry, else the default entry, else <paramref name="fallback"/>.</summary>
    public double Resolve(string diskType, double fallback)
    {
        if (_byType.TryGetValue(diskType, out var value))
            return value;
        return _byType.TryGetValue(DefaultType, out var byDefault) ? byDefault : fallback;
    }

    /// <summary>
    /// Parses <c>type:value[,type:value…]</c> as the Go exporter's <c>parseThresholds</c> did (a
    /// <see cref="TolerantFlagParser{T}"/>): an entry that is not exactly <c>type:value</c> or whose value is not a
    /// number is skipped, a type listed again replaces the earlier entry (the last wins), a negative value is taken as
    /// given. Unlike Go, entries are trimmed, decimals are accepted, and <paramref name="ignored"/> lists what was
    /// skipped (Go said nothing). Blank text is the empty map; blank entries (a trailing comma) are skipped silently.
    /// Never fails: Go started with any value.
    /// </summary>
    public static string? Parse(string text, out ThresholdMap map, out string? ignored)
    {
        map = Empty;
        ignored = null;
        var byType = new Dictionary<string, double>(StringComparer.Ordinal);
        var entryOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var rawEntry in text.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length == 0)
                continue;
            var parts = entry.Split(':');
            if (parts.Length != 2)
            {
                skipped.Add($"\"{entry}\" (want type:value)");
                continue;
            }
            var type = parts[0].Trim();
            var valueText = parts[1].Trim();
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
                !double.IsFinite(value))
            {
                skipped.Add($"\"{entry}\" (\"{valueText}\" is not a number)");
                continue;
            }
            if (entryOf.TryGetValue(type, out var earlier))
                skipped.Add($"\"{earlier}\" ({(type.Length == 0 ? "the empty type" : type)} is given again later, the last one wins)");
            byType[type] = value;
            entryOf[type] = entry;
        }
        if (byType.Count > 0)
            map = new ThresholdMap(byType);
        if (skipped.Count > 0)
            ignored = "ignored " + string.Join(", ", skipped) + "; the Go exporter skipped them too, silently";
        return null;
    }
}
