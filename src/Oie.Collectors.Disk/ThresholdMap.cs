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
    /// Parses <c>type:value[,type:value…]</c> (a <see cref="FlagParser{T}"/>). Blank text is the empty map; blank
    /// entries (a trailing comma) are skipped. Returns null on success, else what is wrong.
    /// </summary>
    public static string? Parse(string text, out ThresholdMap map)
    {
        map = Empty;
        var byType = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var rawEntry in text.Split(','))
        {
            var entry = rawEntry.Trim();
            if (entry.Length == 0)
                continue;
            var colon = entry.IndexOf(':');
            if (colon < 0)
                return $"entry \"{entry}\" has no colon (want type:value, e.g. default:500,local:200)";
            var type = entry[..colon].Trim();
            var valueText = entry[(colon + 1)..].Trim();
            if (type.Length == 0)
                return $"entry \"{entry}\" has an empty disk type";
            if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ||
                !double.IsFinite(value))
                return $"entry \"{entry}\": threshold \"{valueText}\" is not a number";
            if (value < 0)
                return $"entry \"{entry}\": threshold {valueText} is negative";
            if (!byType.TryAdd(type, value))
                return $"disk type \"{type}\" is listed more than once";
        }
        if (byType.Count > 0)
            map = new ThresholdMap(byType);
        return null;
    }
}
