using System.Text;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Reads lines like <see cref="TextReader.ReadLine"/> but refuses one longer than a limit, so a corrupt or hostile file
/// (a multi-gigabyte line without a newline) fails with a clear error instead of exhausting memory.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, string path, int maxLineChars)
{
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private long _lineNumber;

    public string? ReadLine()
    {
        _line.Clear();
        _lineNumber++;
        while (true)
        {
            if (_position == _length)
            {
                _length = reader.Read(_buffer, 0, _buffer.Length);
                _position = 0;
                if (_length == 0)
                {
                    return _line.Length > 0 ? _line.ToString() : null;
                }
            }

            var newline = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            var end = newline < 0 ? _length : newline;
            if (_line.Length + (end - _position) > maxLineChars)
            {
                throw new InvalidCorpusException($"{path} line {_lineNumber}: longer than {maxLineChars:N0} characters (a missing newline or a corrupt file?)");
            }

            _line.Append(_buffer, _position, end - _position);
            _position = end;
            if (newline >= 0)
            {
                _position++;
                if (_line.Length > 0 && _line[^1] == '\r')
                {
                    _line.Length--;
                }

                return _line.ToString();
            }
        }
    }
}
