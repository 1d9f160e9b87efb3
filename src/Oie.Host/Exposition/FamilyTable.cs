using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>Every metric family of the enabled collectors, in exposition order, with a dense index each.</summary>
internal sealed class FamilyTable
{
    private readonly Dictionary<MetricFamily, int> _index = new(ReferenceEqualityComparer.Instance);
    private readonly List<MetricFamily> _families = [];

    public FamilyTable(IEnumerable<IEnumerable<MetricFamily>> familiesPerCollector)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var families in familiesPerCollector)
        {
            foreach (var family in families)
            {
                if (!names.Add(family.Name))
                    throw new InvalidOperationException($"metric family {family.Name} is declared by two collectors");
                _index.Add(family, _families.Count);
                _families.Add(family);
            }
        }
    }

    public int Count => _families.Count;
    public MetricFamily this[int index] => _families[index];

    public int IndexOf(MetricFamily family) =>
        _index.TryGetValue(family, out var index)
            ? index
            : throw new ArgumentException($"metric family {family.Name} is not declared in any collector's Families");
}
