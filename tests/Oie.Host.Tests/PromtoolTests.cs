namespace Oie.Host.Tests;

/// <summary>The promtool check itself must be able to fail.</summary>
public class PromtoolTests
{
    [Fact]
    public async Task A_broken_exposition_fails_the_check() =>
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            PromtoolAssert.Valid("oie_cpu_percent{domain=\"a} 1\n"u8.ToArray()));

    [Fact]
    public async Task A_lint_problem_other_than_the_seed_counter_names_fails_the_check() =>
        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() =>
            PromtoolAssert.Valid("# HELP oie_new_bytes x\n# TYPE oie_new_bytes counter\noie_new_bytes 1\n"u8.ToArray()));

    [Fact]
    public async Task The_seed_counter_names_are_accepted() =>
        await PromtoolAssert.Valid("# HELP oie_disk_r_gbytes Disk read gigabytes\n# TYPE oie_disk_r_gbytes counter\noie_disk_r_gbytes{domain=\"a\"} 1\n"u8.ToArray());
}
