using System.Globalization;
using System.Text;

namespace Oie.EndToEnd.Tests;

/// <summary>One sample line of a text-format exposition.</summary>
internal sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : "";

    public override string ToString() =>
        $"{Name}{{{string.Join(",", Labels.Select(l => $"{l.Key}=\"{l.Value}\""))}}} {Value.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>A parsed /metrics body (text format 0.0.4): enough to find samples by name and label.</summary>
internal sealed class Exposition(string text, IReadOnlyList<Sample> samples)
{
    public string Text { get; } = text;
    public IReadOnlyList<Sample> Samples { get; } = samples;

    public IEnumerable<Sample> Of(string name) => Samples.Where(s => s.Name == name);

    public IEnumerable<Sample> WithLabel(string label, string value) => Samples.Where(s => s.Label(label) == value);

    /// <summary>The value of the only sample called <paramref name="name"/> with these labels, or null.</summary>
    public double? Value(string name, params (string Label, string Value)[] labels) =>
        Of(name).Where(s => labels.All(l => s.Label(l.Label) == l.Value)).Select(s => (double?)s.Value).FirstOrDefault();

    public static Exposition Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
                continue;
            samples.Add(ParseLine(line));
        }
        return new Exposition(text, samples);
    }

    private static Sample ParseLine(string line)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
            i++;
        var name = line[..i];
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                var key = line[i..eq];
                i = eq + 2; // past ="
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch { 'n' => '\n', var c => c });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }
                    i++;
                }
                labels[key] = value.ToString();
                i++;
                if (line[i] == ',')
                    i++;
            }
            i++;
        }
        var rest = line[i..].Trim().Split(' ');
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        return new Sample(name, labels, number);
    }
}
