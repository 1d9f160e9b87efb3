using System.Diagnostics;
using System.Globalization;
using Oie.Conntrack;
using Oie.Conntrack.Reading;

namespace Oie.Benchmarks;

/// <summary>
/// <c>shapes [DIR] [LINES] [REPS] [SHAPE...]</c>: for every <see cref="CaptureShape"/>, generates the capture in DIR
/// (once), then alternates REPS times: parse from memory, the exporter's file source (read + parse + attribute to
/// 1,000 instances, <c>-conntrack.path</c>), and <c>grep -c src=</c> over the same file with its output to a pipe.
/// Prints the minimum of each per 1M lines, the ratios to grep, and the bytes allocated per line.
/// </summary>
public static class ShapeBench
{
    public static int Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : "/var/tmp/oie-conntrack-bench";
        int lines = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : CaptureGenerator.DefaultLines;
        int reps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 7;
        CaptureShape[] shapes = args.Length > 3 ? [.. args[3..].Select(CaptureShape.Named)] : CaptureShape.All;
        Directory.CreateDirectory(dir);
        var index = FixedIpIndex.Build(CaptureGenerator.Instances());
        double scale = 1_000_000.0 / lines;

        Console.WriteLine($"{lines:N0} lines per capture, min of {reps}; times in ms per 1M lines; B/line = bytes allocated per line");
        Console.WriteLine("| shape | MB | parse, memory | file → parse → attribute | grep -c src= | parse / grep | file / grep | B/line parse | B/line file |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (CaptureShape shape in shapes)
        {
            string path = Path.Combine(dir, $"shape-{shape.Name}-{lines}.txt");
            if (!File.Exists(path))
            {
                shape.Write(path, lines);
            }

            byte[] bytes = File.ReadAllBytes(path);
            var source = new FileConntrackSource(path, TimeSpan.FromMinutes(1));
            long ParseMemory() => ConntrackTableReader.Read(bytes, new NoSink()).Flows;
            long ReadFile()
            {
                var attribution = new FlowAttribution(index);
                return source.Read(attribution, CancellationToken.None)[0].Result.Flows;
            }

            long flows = ParseMemory();
            if (flows != lines || ReadFile() != lines)
            {
                throw new InvalidOperationException($"{shape.Name}: parsed {flows:N0} flows of {lines:N0} lines");
            }

            double perLineMemory = Allocated(ParseMemory) / (double)lines;
            double perLineFile = Allocated(ReadFile) / (double)lines;
            var (memory, file, grep) = (double.MaxValue, double.MaxValue, double.MaxValue);
            for (int i = 0; i < reps; i++)
            {
                memory = Math.Min(memory, Time(ParseMemory));
                file = Math.Min(file, Time(ReadFile));
                grep = Math.Min(grep, Time(() => Grep(path, lines)));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {shape.Name} | {bytes.Length / 1e6:F0} | {memory * scale:F0} | {file * scale:F0} | {grep * scale:F0} | {memory / grep:F2} | {file / grep:F2} | {perLineMemory:F3} | {perLineFile:F3} |"));
        }

        return 0;
    }

    /// <summary>
    /// <c>tool FILE [REPS]</c>: the exporter's tool source (<c>-conntrack.command</c>) over a stand-in that writes FILE
    /// for <c>-f ipv4</c> in 4 KiB writes (<c>dd bs=4096</c>, as the real tool's stdio does into a pipe) and nothing for
    /// ipv6. Prints the minimum wall time, this process's CPU time (the tool's own is not in it) and bytes allocated.
    /// </summary>
    public static int RunTool(string[] args)
    {
        string path = args.Length > 0 ? args[0] : ConntrackBenchmarks.CapturePath;
        int reps = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        string tool = Path.Combine(Path.GetTempPath(), $"oie-bench-tool-{Environment.ProcessId}.sh");
        File.WriteAllText(tool, $"#!/bin/sh\ncase \"$*\" in *\"-f ipv4\"*) exec dd if='{path}' bs=4096 status=none ;; esac\n");
        try
        {
            var source = new ToolConntrackSource(["/bin/sh", tool], TimeSpan.FromMinutes(1));
            var index = FixedIpIndex.Build(CaptureGenerator.Instances());
            long Cycle()
            {
                var listings = source.Read(new FlowAttribution(index), CancellationToken.None);
                return listings[0].Error is { } error ? throw new InvalidOperationException(error) : listings[0].Result.Flows;
            }

            long flows = Cycle();
            var (wall, cpu, allocated) = (double.MaxValue, double.MaxValue, long.MaxValue);
            using var self = Process.GetCurrentProcess();
            for (int i = 0; i < reps; i++)
            {
                self.Refresh();
                TimeSpan cpuBefore = self.TotalProcessorTime;
                long bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                wall = Math.Min(wall, Time(Cycle));
                allocated = Math.Min(allocated, GC.GetTotalAllocatedBytes(precise: true) - bytesBefore);
                self.Refresh();
                cpu = Math.Min(cpu, (self.TotalProcessorTime - cpuBefore).TotalMilliseconds);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tool source over {flows:N0} lines in 4 KiB writes, min of {reps}: wall {wall:F0} ms, our CPU {cpu:F0} ms, allocated {allocated:N0} B ({allocated / (double)flows:F3} B/line)"));
            return 0;
        }
        finally
        {
            File.Delete(tool);
        }
    }

    private static long Allocated(Func<long> run)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        run();
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    private static double Time(Func<long> run)
    {
        var watch = Stopwatch.StartNew();
        run();
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>grep with its output to a pipe: GNU grep stops at the first match when its output is /dev/null.</summary>
    private static long Grep(string path, int lines)
    {
        using var grep = Process.Start(new ProcessStartInfo("grep", ["-c", "src=", path]) { RedirectStandardOutput = true })!;
        string count = grep.StandardOutput.ReadToEnd();
        grep.WaitForExit();
        long matched = long.Parse(count, CultureInfo.InvariantCulture);
        return matched == lines ? matched : throw new InvalidOperationException($"grep counted {matched} of {lines} lines in {path}");
    }
}
