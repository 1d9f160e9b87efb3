using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis.Text;

namespace Oie.Generators.Json
{
    /// <summary>
    /// A small strict JSON reader (RFC 8259: no comments, no trailing commas, no single quotes, one top-level value),
    /// written here because the generator runs on netstandard2.0 inside the compiler, where System.Text.Json is a
    /// dependency trap. Duplicate property names are rejected too: in plugins.json they are always a mistake.
    /// </summary>
    internal sealed class JsonReader
    {
        private const int MaxDepth = 64;

        private readonly string _text;
        private int _pos;
        private int _depth;

        private JsonReader(string text)
        {
            _text = text;
        }

        /// <exception cref="JsonSyntaxException">at the first offending character.</exception>
        public static JsonNode Parse(string text)
        {
            var reader = new JsonReader(text);
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                reader._pos = 1;
            }

            reader.SkipWhitespace();
            var value = reader.ReadValue();
            reader.SkipWhitespace();
            if (reader._pos < text.Length)
            {
                throw reader.Error("unexpected " + reader.DescribeCurrent() + " after the top-level value");
            }

            return value;
        }

        private JsonNode ReadValue()
        {
            if (_pos >= _text.Length)
            {
                throw Error("unexpected end of file, expected a value");
            }

            switch (_text[_pos])
            {
                case '{':
                    return ReadObject();
                case '[':
                    return ReadArray();
                case '"':
                    var start = _pos;
                    var s = ReadString();
                    return new JsonNode(JsonKind.String, TextSpan.FromBounds(start, _pos), s);
                case 't':
                    return ReadLiteral("true", JsonKind.True);
                case 'f':
                    return ReadLiteral("false", JsonKind.False);
                case 'n':
                    return ReadLiteral("null", JsonKind.Null);
                default:
                    var c = _text[_pos];
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }

                    throw Error("unexpected " + DescribeCurrent() + ", expected a value");
            }
        }

        private JsonNode ReadObject()
        {
            var start = _pos;
            Enter();
            _pos++; // {
            var properties = new List<JsonProperty>();
            var seen = new HashSet<string>(System.StringComparer.Ordinal);
            SkipWhitespace();
            if (Peek() == '}')
            {
                _pos++;
                _depth--;
                return new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos), properties: properties);
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("unexpected " + DescribeCurrent() + ", expected a property name in double quotes");
                }

                var nameStart = _pos;
                var name = ReadString();
                var nameSpan = TextSpan.FromBounds(nameStart, _pos);
                if (!seen.Add(name))
                {
                    throw new JsonSyntaxException(nameStart, "duplicate property \"" + name + "\"");
                }

                SkipWhitespace();
                Expect(':', "':' after the property name");
                SkipWhitespace();
                properties.Add(new JsonProperty(name, nameSpan, ReadValue()));
                SkipWhitespace();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }

                Expect('}', "',' or '}'");
                _depth--;
                return new JsonNode(JsonKind.Object, TextSpan.FromBounds(start, _pos), properties: properties);
            }
        }

        private JsonNode ReadArray()
        {
            var start = _pos;
            Enter();
            _pos++; // [
            var items = new List<JsonNode>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _pos++;
                _depth--;
                return new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos), items: items);
            }

            while (true)
            {
                SkipWhitespace();
                items.Add(ReadValue());
                SkipWhitespace();
                if (Peek() == ',')
                {
                    _pos++;
                    continue;
                }

                Expect(']', "',' or ']'");
                _depth--;
                return new JsonNode(JsonKind.Array, TextSpan.FromBounds(start, _pos), items: items);
            }
        }

        private string ReadString()
        {
            var start = _pos;
            _pos++; // opening quote
            var sb = new StringBuilder();
            while (true)
            {
                if (_pos >= _text.Length)
                {
                    throw new JsonSyntaxException(start, "unterminated string");
                }

                var c = _text[_pos];
                if (c == '"')
                {
                    _pos++;
                    return sb.ToString();
                }

                if (c < ' ')
                {
                    throw Error("control character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " in a string (escape it)");
                }

                if (c != '\\')
                {
                    sb.Append(c);
                    _pos++;
                    continue;
                }

                _pos++;
                if (_pos >= _text.Length)
                {
                    throw new JsonSyntaxException(start, "unterminated string");
                }

                switch (_text[_pos])
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (_pos + 4 >= _text.Length
                            || !int.TryParse(_text.Substring(_pos + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                        {
                            throw Error("invalid \\u escape, expected four hex digits");
                        }

                        sb.Append((char)code);
                        _pos += 4;
                        break;
                    default:
                        throw Error("invalid escape '\\" + _text[_pos] + "'");
                }

                _pos++;
            }
        }

        private JsonNode ReadNumber()
        {
            var start = _pos;
            if (Peek() == '-')
            {
                _pos++;
            }

            if (Peek() == '0')
            {
                _pos++;
            }
            else if (IsDigit(Peek()))
            {
                SkipDigits();
            }
            else
            {
                throw Error("invalid number, expected a digit");
            }

            if (Peek() == '.')
            {
                _pos++;
                if (!IsDigit(Peek()))
                {
                    throw Error("invalid number, expected a digit after '.'");
                }

                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _pos++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _pos++;
                }

                if (!IsDigit(Peek()))
                {
                    throw Error("invalid number, expected a digit in the exponent");
                }

                SkipDigits();
            }

            var span = TextSpan.FromBounds(start, _pos);
            return new JsonNode(JsonKind.Number, span, _text.Substring(start, span.Length));
        }

        private JsonNode ReadLiteral(string literal, JsonKind kind)
        {
            var start = _pos;
            if (string.CompareOrdinal(_text, _pos, literal, 0, literal.Length) != 0
                || (_pos + literal.Length < _text.Length && char.IsLetterOrDigit(_text[_pos + literal.Length])))
            {
                throw Error("unexpected " + DescribeCurrent() + ", expected a value");
            }

            _pos += literal.Length;
            return new JsonNode(kind, TextSpan.FromBounds(start, _pos));
        }

        private void Enter()
        {
            if (++_depth > MaxDepth)
            {
                throw Error("nesting deeper than " + MaxDepth.ToString(CultureInfo.InvariantCulture) + " levels");
            }
        }

        private void Expect(char c, string expected)
        {
            if (Peek() != c)
            {
                throw Error("unexpected " + DescribeCurrent() + ", expected " + expected);
            }

            _pos++;
        }

        private void SkipWhitespace()
        {
            while (_pos < _text.Length)
            {
                var c = _text[_pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                {
                    return;
                }

                _pos++;
            }
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                _pos++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private char Peek() => _pos < _text.Length ? _text[_pos] : '\0';

        private string DescribeCurrent()
        {
            if (_pos >= _text.Length)
            {
                return "end of file";
            }

            var c = _text[_pos];
            return c < ' ' || c > '~'
                ? "character U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture)
                : "'" + c + "'";
        }

        private JsonSyntaxException Error(string reason) => new JsonSyntaxException(_pos, reason);
    }
}
