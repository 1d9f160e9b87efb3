using System.Buffers;
using System.Globalization;
using System.Text;
using Oie.Abstractions;

namespace Oie.Host.Exposition;

/// <summary>Writes samples in the Prometheus text format 0.0.4 straight to UTF-8 bytes.</summary>
internal static class TextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void WriteSample(IBufferWriter<byte> output, MetricFamily family, double value, ReadOnlySpan<string> labelValues)
    {
        if (labelValues.Length != family.LabelNames.Length)
        {
            throw new ArgumentException(
                $"{family.Name} takes {family.LabelNames.Length} label values, got {labelValues.Length}", nameof(labelValues));
        }

        output.Write(family.NameBytes.Span);
        for (var i = 0; i < labelValues.Length; i++)
        {
            output.Write(family.LabelPrefixes[i]);
            WriteEscapedLabelValue(output, labelValues[i]);
            output.Write("\""u8);
        }
        output.Write(labelValues.Length > 0 ? "} "u8 : " "u8);
        WriteValue(output, value);
        output.Write("\n"u8);
    }

    /// <summary>Escapes backslash, double quote and line feed; everything else is written as UTF-8 (lone surrogates
    /// become U+FFFD, so the output is always valid UTF-8).</summary>
    public static void WriteEscapedLabelValue(IBufferWriter<byte> output, string value)
    {
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var special = rest.IndexOfAny('\\', '"', '\n');
            var plain = special < 0 ? rest : rest[..special];
            if (!plain.IsEmpty)
                WriteUtf8(output, plain);
            if (special < 0)
                return;
            output.Write(rest[special] switch { '\\' => "\\\\"u8, '"' => "\\\""u8, _ => "\\n"u8 });
            rest = rest[(special + 1)..];
        }
    }

    /// <summary>Asks the writer for no more than the text takes: a buffer sized to last cycle's output (see CycleSamples)
    /// must not double because a worst-case hint (three bytes a char) overshot its last few bytes.</summary>
    private static void WriteUtf8(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        if (!Encoding.UTF8.TryGetBytes(text, output.GetSpan(), out var written))
            written = Encoding.UTF8.GetBytes(text, output.GetSpan(Encoding.UTF8.GetByteCount(text)));
        output.Advance(written);
    }

    public static void WriteValue(IBufferWriter<byte> output, double value)
    {
        if (double.IsNaN(value))
        {
            output.Write("NaN"u8);
            return;
        }
        if (double.IsInfinity(value))
        {
            output.Write(value > 0 ? "+Inf"u8 : "-Inf"u8);
            return;
        }
        var span = output.GetSpan();
        if (!value.TryFormat(span, out var written, "R", CultureInfo.InvariantCulture))
        {
            span = output.GetSpan(32);
            if (!value.TryFormat(span, out written, "R", CultureInfo.InvariantCulture))
                throw new InvalidOperationException("a double did not fit in 32 bytes");
        }
        // Go prints exponents in lower case (3.8e-06); keep the exposition byte-compatible with the seed's.
        var exponent = span[..written].IndexOf((byte)'E');
        if (exponent >= 0)
            span[exponent] = (byte)'e';
        output.Advance(written);
    }
}
