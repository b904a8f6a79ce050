using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ExcelDataReader;

namespace Aicc.Handlers.Tasks.ImportingCustomers;

/// <summary>One data row of a customer file: its 1-based row number (the header is row 1), the raw phone and the other columns as variables.</summary>
public sealed record CustomerRow(int Row, string Phone, IReadOnlyDictionary<string, string> Variables);

/// <summary>A file that cannot be read as a customer list at all (no header, no phone column, not a spreadsheet).</summary>
public sealed class CustomerFileException(string message) : Exception(message);

/// <summary>
/// Streams the rows of an uploaded customer list (CSV or XLSX) without holding the file in
/// memory, so a 100,000-row upload costs one row at a time. The header row must name a
/// <c>phone</c> column; every other named column becomes a variable for scripts.
/// </summary>
public static class CustomerFileReader
{
    public const string PhoneColumn = "phone";

    /// <summary>The formats an upload may come in, chosen from the request's content type.</summary>
    public enum Format
    {
        Csv,
        Xlsx,
    }

    public static Format? FormatOf(string? contentType) => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
    {
        "text/csv" or "application/csv" or "text/plain" => Format.Csv,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" or "application/vnd.ms-excel" => Format.Xlsx,
        _ => null,
    };

    public static IAsyncEnumerable<CustomerRow> ReadAsync(Stream stream, Format format, CancellationToken cancellationToken = default) =>
        format == Format.Csv ? ReadCsvAsync(stream, cancellationToken) : ReadXlsxAsync(stream, cancellationToken);

    private static async IAsyncEnumerable<CustomerRow> ReadCsvAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var csv = new CsvRecordReader(text);
        var names = await csv.ReadAsync(cancellationToken)
            ?? throw new CustomerFileException("The file is empty: the first row must be a header naming a 'phone' column.");
        var header = Header(names);
        var row = 1;
        while (await csv.ReadAsync(cancellationToken) is { } record)
        {
            row++;
            var fields = new string?[header.Names.Length];
            for (var i = 0; i < fields.Length && i < record.Length; i++)
            {
                fields[i] = record[i].Trim();
            }

            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            yield return ToRow(row, header, fields);
        }
    }

    private static async IAsyncEnumerable<CustomerRow> ReadXlsxAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        // ExcelDataReader needs a seekable stream (a zip's directory sits at its end); a request body is not one.
        Stream seekable = stream;
        if (!stream.CanSeek)
        {
            var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await stream.CopyToAsync(temp, cancellationToken);
            temp.Position = 0;
            seekable = temp;
        }

        try
        {
            IExcelDataReader reader;
            try
            {
                reader = ExcelReaderFactory.CreateReader(seekable);
            }
            catch (Exception ex) when (ex is ExcelDataReader.Exceptions.HeaderException or InvalidDataException or NotSupportedException)
            {
                throw new CustomerFileException($"Not a readable spreadsheet: {ex.Message}");
            }

            using (reader)
            {
                if (!reader.Read())
                {
                    throw new CustomerFileException("The sheet is empty: the first row must be a header naming a 'phone' column.");
                }

                var names = new string[reader.FieldCount];
                for (var i = 0; i < names.Length; i++)
                {
                    names[i] = Cell(reader, i) ?? "";
                }

                var header = Header(names);
                var row = 1;
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    row++;
                    var fields = new string?[header.Names.Length];
                    for (var i = 0; i < fields.Length && i < reader.FieldCount; i++)
                    {
                        fields[i] = Cell(reader, i);
                    }

                    if (fields.All(string.IsNullOrWhiteSpace))
                    {
                        continue;
                    }

                    yield return ToRow(row, header, fields);
                }
            }
        }
        finally
        {
            if (!ReferenceEquals(seekable, stream))
            {
                await seekable.DisposeAsync();
            }
        }
    }

    private static string? Cell(IExcelDataReader reader, int index) => reader.GetValue(index) switch
    {
        null => null,
        double number when number == Math.Floor(number) && Math.Abs(number) < 1e15 => ((long)number).ToString(CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture).Trim(),
        var value => value.ToString()?.Trim(),
    };

    private sealed record HeaderInfo(string[] Names, int PhoneIndex);

    private static HeaderInfo Header(string[] raw)
    {
        var names = raw.Select(name => name.Trim().TrimStart('\uFEFF')).ToArray();
        var phone = Array.FindIndex(names, name => string.Equals(name, PhoneColumn, StringComparison.OrdinalIgnoreCase));
        if (phone < 0)
        {
            throw new CustomerFileException($"The header row has no '{PhoneColumn}' column (found: {string.Join(", ", names.Select(n => $"'{n}'"))}).");
        }

        var duplicate = names.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CustomerFileException($"The header row names the column '{duplicate.Key}' twice.");
        }

        return new HeaderInfo(names, phone);
    }

    private static CustomerRow ToRow(int row, HeaderInfo header, string?[] fields)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Names.Length; i++)
        {
            if (i != header.PhoneIndex && header.Names[i].Length > 0 && !string.IsNullOrEmpty(fields[i]))
            {
                variables[header.Names[i]] = fields[i]!;
            }
        }

        return new CustomerRow(row, fields[header.PhoneIndex]?.Trim() ?? "", variables);
    }
}
