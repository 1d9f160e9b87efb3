using Oie.Abstractions;

namespace Oie.Testing;

/// <summary>A plugin's public contract in a form that snapshots well: its metric families and its flags.</summary>
public sealed record Contract(IReadOnlyList<FamilyContract> Families, IReadOnlyList<FlagContract> Flags)
{
    public static Contract Of<T>(ICollector collector) where T : ICollectorPlugin => new(
        [.. collector.Families.Select(f => new FamilyContract(
            f.Name, f.Help, f.Type.ToString().ToLowerInvariant(), f.Lifetime.ToString(), [.. f.LabelNames]))],
        [.. Plugin.FlagsOf<T>().Flags.Select(f => new FlagContract(f.Name, f.DefaultText, f.Usage, f.IsBool))]);
}

public sealed record FamilyContract(string Name, string Help, string Type, string Lifetime, IReadOnlyList<string> Labels);

public sealed record FlagContract(string Name, string Default, string Usage, bool IsBool);
