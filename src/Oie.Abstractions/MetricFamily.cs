using System.Collections.Immutable;
using System.Text;

namespace Oie.Abstractions;

public enum MetricType { Gauge, Counter }

/// <summary>
/// How long a family's samples stay servable after the cycle that produced them: the seed's static cache
/// (-static.cache.expiration, rarely-changing configuration such as disk thresholds) or dynamic cache
/// (-dynamic.cache.expiration, everything measured).
/// </summary>
public enum CacheLifetime { Dynamic, Static }

/// <summary>A metric family: name, help, type and label names in exposition order.</summary>
public sealed class MetricFamily
{
    public MetricFamily(string name, string help, MetricType type, CacheLifetime lifetime, params string[] labelNames)
    {
        Name = name;
        Help = help;
        Type = type;
        Lifetime = lifetime;
        LabelNames = [.. labelNames];
        var header = $"# HELP {name} {EscapeHelp(help)}\n# TYPE {name} {(type == MetricType.Counter ? "counter" : "gauge")}\n";
        Header = Encoding.UTF8.GetBytes(header);
        var prefixes = new byte[labelNames.Length][];
        for (var i = 0; i < labelNames.Length; i++)
            prefixes[i] = Encoding.UTF8.GetBytes((i == 0 ? "{" : ",") + labelNames[i] + "=\"");
        LabelPrefixes = prefixes;
        NameBytes = Encoding.UTF8.GetBytes(name);
    }

    public MetricFamily(string name, string help, MetricType type, params string[] labelNames)
        : this(name, help, type, CacheLifetime.Dynamic, labelNames)
    {
    }

    public string Name { get; }
    public string Help { get; }
    public MetricType Type { get; }
    public CacheLifetime Lifetime { get; }
    public ImmutableArray<string> LabelNames { get; }

    /// <summary>UTF-8 "# HELP …\n# TYPE …\n".</summary>
    public ReadOnlyMemory<byte> Header { get; }

    /// <summary>UTF-8 metric name.</summary>
    public ReadOnlyMemory<byte> NameBytes { get; }

    /// <summary>UTF-8 <c>{name="</c> for the first label, <c>,name="</c> for the others.</summary>
    public IReadOnlyList<byte[]> LabelPrefixes { get; }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    public override string ToString() => Name;
}
