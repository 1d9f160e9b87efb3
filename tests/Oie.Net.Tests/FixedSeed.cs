using CsCheck;

namespace Oie.Tests;

/// <summary>
/// CsCheck's Sample fixes only the first iteration's seed and draws the rest at random. This runs every iteration from
/// one fixed seed, so CI is repeatable, and on failure names the failing iteration's seed: pass it to CsCheck's
/// <c>gen.Sample(assert, seed: ...)</c> to reproduce and shrink the case.
/// </summary>
internal static class FixedSeed
{
    public const string Seed = "0N0XIzNsQ0O2";

    public static void SampleFixed<T>(this Gen<T> gen, Action<T> assert, int iter, string seed = Seed)
    {
        PCG pcg = PCG.Parse(seed);
        for (int i = 0; i < iter; i++)
        {
            ulong state = pcg.State;
            T value = gen.Generate(pcg, null!, out _);
            try
            {
                assert(value);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"Iteration {i} failed for {value}; CsCheck seed \"{pcg.ToString(state)}\" reproduces it.\n{e.Message}", e);
            }
        }
    }
}
