using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Oie.Generators.Model
{
    /// <summary>A place in plugins.json. Kept instead of <see cref="Location"/> so the model stays plain data.</summary>
    internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        public static LocationInfo Create(string filePath, SourceText text, TextSpan span) =>
            new LocationInfo(filePath, span, text.Lines.GetLinePositionSpan(span));

        /// <summary>"line:column", both counted from 1 as editors show them.</summary>
        public string LineColumn => (LineSpan.Start.Line + 1) + ":" + (LineSpan.Start.Character + 1);

        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);
    }
}
