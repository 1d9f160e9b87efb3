using Oie.Abstractions;

namespace Oie.Collectors.Jobs;

/// <summary>
/// The jobs running on each instance: its domain job (<c>type</c> = the operation, e.g. <c>migration_out</c>,
/// <c>disk_path</c> empty) and a block job per disk (<c>type</c> = <c>block_</c> + the block job's type,
/// <c>disk_path</c> = the disk's target). Nothing while no job runs. A cycle in which some domain's job calls did not
/// answer fails as a whole, so that "no job" is never served for a domain nobody could ask.
/// </summary>
/// <param name="source">The error source (<c>oie_exporter_collection_errors_total{source}</c>) of a cycle whose job calls
/// failed: the collector's plugins.json name, whose series the host creates at 0, so the first failure is an increase.</param>
public sealed class JobsCollector(string source) : ICollector, ICollectorPlugin, IInstanceReadingsConsumer
{
    private const string BlockJobPrefix = "block_";

    // Enough for an operator to recognise the domains in the log line without one line per domain.
    private const int DomainsNamed = 5;

    private static readonly string[] Labels = ["domain", "instance_uuid", "user_uuid", "project_uuid", "type", "disk_path"];

    private static readonly MetricFamily Elapsed = new("oie_job_elapsed_seconds",
        "Time the instance's running domain job (a migration, save or dump) has been running (libvirt job time_elapsed), seconds; absent for block jobs",
        MetricType.Gauge, Labels);

    private static readonly MetricFamily DataTotal = new("oie_job_data_total_bytes",
        "Data the running job has to move in all (libvirt job data_total, block job end), bytes", MetricType.Gauge, Labels);

    private static readonly MetricFamily DataProcessed = new("oie_job_data_processed_bytes",
        "Data the running job has moved so far (libvirt job data_processed, block job cur), bytes", MetricType.Gauge, Labels);

    private static readonly MetricFamily DataRemaining = new("oie_job_data_remaining_bytes",
        "Data the running job has still to move (libvirt job data_remaining, block job end - cur), bytes", MetricType.Gauge, Labels);

    private static readonly MetricFamily[] AllFamilies = [Elapsed, DataTotal, DataProcessed, DataRemaining];

    public static CollectorFactory Setup(PluginEntry plugin, FlagSet flags)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        return _ => new JobsCollector(plugin.Name);
    }

    /// <summary>The error source of a cycle whose job calls failed: the plugins.json name.</summary>
    public string Source { get; } = source;

    public IReadOnlyList<MetricFamily> Families => AllFamilies;

    public InstanceReadings Readings => InstanceReadings.Jobs;

    public void Collect(CycleSnapshot snapshot, ISampleWriter writer)
    {
        ThrowIfAnyUnread(snapshot.Instances);
        foreach (var instance in snapshot.Instances)
        {
            var facts = instance.Facts;
            var stats = instance.Stats;
            if (stats.Job is { } job)
            {
                ReadOnlySpan<string> labels = [facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid, job.Operation, ""];
                writer.WriteReported(Elapsed, instance, job.ElapsedSeconds, labels);
                writer.WriteReported(DataTotal, instance, job.DataTotalBytes, labels);
                writer.WriteReported(DataProcessed, instance, job.DataProcessedBytes, labels);
                writer.WriteReported(DataRemaining, instance, job.DataRemainingBytes, labels);
            }
            var blockJobs = stats.BlockJobs;
            for (var d = 0; d < facts.Disks.Length && d < blockJobs.Length; d++)
            {
                if (blockJobs[d] is not { } blockJob)
                {
                    continue;
                }
                ReadOnlySpan<string> labels =
                    [facts.Domain, facts.InstanceUuid, facts.UserUuid, facts.ProjectUuid, BlockJobPrefix + blockJob.Type, facts.Disks[d].Target];
                writer.Write(DataTotal, instance, blockJob.TotalBytes, labels);
                writer.Write(DataProcessed, instance, blockJob.ProcessedBytes, labels);
                // cur should not pass end; were a driver to report it past, nothing remains rather than a negative size.
                writer.Write(DataRemaining, instance, Math.Max(0, blockJob.TotalBytes - blockJob.ProcessedBytes), labels);
            }
        }
    }

    private void ThrowIfAnyUnread(IReadOnlyList<Instance> instances)
    {
        List<string>? unread = null;
        foreach (var instance in instances)
        {
            if (!instance.Stats.JobsRead)
            {
                (unread ??= []).Add(instance.Facts.Domain);
            }
        }
        if (unread is null)
        {
            return;
        }
        var named = string.Join(", ", unread.Take(DomainsNamed)) + (unread.Count > DomainsNamed ? $" and {unread.Count - DomainsNamed} more" : "");
        throw new CollectorSourceException(Source,
            $"libvirt did not answer the job queries (virDomainGetJobStats, virDomainGetBlockJobInfo) of {unread.Count} of " +
            $"{instances.Count} domains this cycle ({named}): no job series are served rather than claiming that none runs; " +
            "check libvirtd's responsiveness for those domains (virsh domjobinfo DOMAIN) and -libvirt.timeout");
    }
}
