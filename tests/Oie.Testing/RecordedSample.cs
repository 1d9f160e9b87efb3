using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>One sample as a collector wrote it; <see cref="Instance"/> is null for a host-wide sample.</summary>
public sealed record RecordedSample(MetricFamily Family, Instance? Instance, double Value, IReadOnlyList<string> Labels)
{
    public string Name => Family.Name;

    /// <summary>The value of the label called <paramref name="labelName"/>.</summary>
    public string Label(string labelName)
    {
        var index = Family.LabelNames.IndexOf(labelName);
        if (index < 0)
            throw new ArgumentException($"{Family.Name} has no label {labelName}", nameof(labelName));
        return Labels[index];
    }

    public override string ToString() =>
        $"{Name}{{{string.Join(",", Family.LabelNames.Select((n, i) => $"{n}=\"{Labels[i]}\""))}}} {Value}";
}
