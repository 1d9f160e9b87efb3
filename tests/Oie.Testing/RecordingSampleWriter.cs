using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>
/// Records every sample. Throws on a sample the exposition could not carry: a family the collector did not declare
/// (when constructed with its families), a label count that does not match the family, or a null label value.
/// </summary>
public sealed class RecordingSampleWriter(IReadOnlyList<MetricFamily>? declaredFamilies = null) : ISampleWriter
{
    private readonly List<RecordedSample> _samples = [];

    public IReadOnlyList<RecordedSample> Samples => _samples;

    public void Write(MetricFamily family, Instance instance, double value, params ReadOnlySpan<string> labelValues)
    {
        ArgumentNullException.ThrowIfNull(instance);
        Record(family, instance, value, labelValues);
    }

    /// <summary>Recorded with a null <see cref="RecordedSample.Instance"/>.</summary>
    public void WriteHostSample(MetricFamily family, double value, params ReadOnlySpan<string> labelValues) =>
        Record(family, null, value, labelValues);

    private void Record(MetricFamily family, Instance? instance, double value, ReadOnlySpan<string> labelValues)
    {
        ArgumentNullException.ThrowIfNull(family);
        if (declaredFamilies is not null && !declaredFamilies.Contains(family))
            throw new InvalidOperationException($"{family.Name} is not one of the collector's families");
        if (labelValues.Length != family.LabelNames.Length)
        {
            throw new InvalidOperationException(
                $"{family.Name} has {family.LabelNames.Length} labels but was written with {labelValues.Length}");
        }

        foreach (var label in labelValues)
        {
            if (label is null)
                throw new InvalidOperationException($"{family.Name} was written with a null label value");
        }
        _samples.Add(new RecordedSample(family, instance, value, labelValues.ToArray()));
    }

    /// <summary>The samples of the family called <paramref name="name"/>, in write order.</summary>
    public IReadOnlyList<RecordedSample> Of(string name) => [.. _samples.Where(s => s.Name == name)];

    /// <summary>The names of the samples in write order.</summary>
    public IReadOnlyList<string> Names => [.. _samples.Select(s => s.Name)];
}
