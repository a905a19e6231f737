using System.Text;
using SparseSearch.Core;

namespace SparseSearch.Evaluation.Beir;

/// <summary>
/// Splits a byte stream into lines and decodes each one on its own, so an error names the line it is on: invalid UTF-8
/// is checked per line (a decoder over a large buffer reports it at the line being read, which may be lines earlier),
/// and a line longer than the limit fails with a clear error instead of exhausting memory (a multi-gigabyte line
/// without a newline). Returns null at the end of the stream. A UTF-8 byte order mark at the start is skipped.
/// </summary>
internal sealed class BoundedLineReader(Stream stream, string path, int maxLineBytes)
{
    private static readonly UTF8Encoding Strict = new(false, throwOnInvalidBytes: true);
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly MemoryStream _line = new();
    private int _position;
    private int _length;
    private bool _started;

    /// <summary>1-based number of the line last returned.</summary>
    public long LineNumber { get; private set; }

    public string? ReadLine()
    {
        _line.SetLength(0);
        while (true)
        {
            if (_position == _length && !Fill())
            {
                return _line.Length > 0 ? Decode() : null;
            }

            var newline = Array.IndexOf(_buffer, (byte)'\n', _position, _length - _position);
            var end = newline < 0 ? _length : newline;
            if (_line.Length + (end - _position) > maxLineBytes)
            {
                throw new InvalidCorpusException($"{path} line {LineNumber + 1}: longer than {maxLineBytes:N0} bytes (a missing newline or a corrupt file?)");
            }

            _line.Write(_buffer, _position, end - _position);
            _position = end;
            if (newline >= 0)
            {
                _position++;
                return Decode();
            }
        }
    }

    private bool Fill()
    {
        _length = stream.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (!_started && _length >= 3 && _buffer[0] == 0xEF && _buffer[1] == 0xBB && _buffer[2] == 0xBF)
        {
            _position = 3;
        }

        _started = true;
        return _length > 0;
    }

    private string Decode()
    {
        LineNumber++;
        var bytes = _line.GetBuffer().AsSpan(0, (int)_line.Length);
        if (bytes.Length > 0 && bytes[^1] == '\r')
        {
            bytes = bytes[..^1];
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            throw new InvalidCorpusException($"{path} line {LineNumber}: invalid UTF-8");
        }

        return Strict.GetString(bytes);
    }
}
