using System.Text;

namespace Aicc.Handlers.Tasks.ImportingCustomers;

/// <summary>
/// Reads RFC 4180 records (quoted fields, doubled quotes, line breaks inside quotes, CRLF or
/// LF) one at a time from a text reader. Written here because the served CsvHelper 34 is a
/// different API from the one its docs describe, and customer files need only this much.
/// The delimiter is taken from the header line (comma, semicolon or tab: spreadsheets in
/// Chinese and European locales export semicolons).
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();
    private char _delimiter = '\0';

    /// <summary>The next record's fields, or null at the end of the input.</summary>
    public async Task<string[]?> ReadAsync(CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        if (line is null)
        {
            return null;
        }

        if (_delimiter == '\0')
        {
            _delimiter = DetectDelimiter(line);
        }

        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (!quoted)
                {
                    fields.Add(_field.ToString());
                    return [.. fields];
                }

                // A quoted field runs on over a line break.
                var next = await reader.ReadLineAsync(cancellationToken);
                if (next is null)
                {
                    throw new CustomerFileException("The file ends inside a quoted field (a '\"' is never closed).");
                }

                _field.Append('\n');
                line = next;
                i = 0;
                continue;
            }

            var c = line[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < line.Length && line[i + 1] == '"')
                    {
                        _field.Append('"');
                        i += 2;
                        continue;
                    }

                    quoted = false;
                }
                else
                {
                    _field.Append(c);
                }
            }
            else if (c == '"' && _field.Length == 0)
            {
                quoted = true;
            }
            else if (c == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
            }
            else
            {
                _field.Append(c);
            }

            i++;
        }
    }

    private static char DetectDelimiter(string header)
    {
        var best = ',';
        var bestCount = header.Count(ch => ch == ',');
        foreach (var candidate in new[] { ';', '\t' })
        {
            var count = header.Count(ch => ch == candidate);
            if (count > bestCount)
            {
                best = candidate;
                bestCount = count;
            }
        }

        return best;
    }
}
