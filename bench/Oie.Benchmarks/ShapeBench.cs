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
