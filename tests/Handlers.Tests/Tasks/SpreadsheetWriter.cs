using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace Aicc.Handlers.Tests.Tasks;

/// <summary>Writes real .xlsx files (OpenXML SDK) so the import is tested on what Excel produces.</summary>
internal static class SpreadsheetWriter
{
    /// <summary>Cells are strings, or numbers (double) to mimic phone columns Excel stored as numbers.</summary>
    public static MemoryStream Write(IEnumerable<object?[]> rows)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            foreach (var cells in rows)
            {
                var row = new Row();
                foreach (var value in cells)
                {
                    row.Append(value switch
                    {
                        double number => new Cell { DataType = CellValues.Number, CellValue = new CellValue(number) },
                        null => new Cell(),
                        _ => new Cell { DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString()!)) },
                    });
                }

                data.Append(row);
            }

            sheetPart.Worksheet = new Worksheet(data);
            var sheets = workbook.Workbook.AppendChild(new Sheets());
            sheets.Append(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1, Name = "customers" });
            workbook.Workbook.Save();
        }

        stream.Position = 0;
        return stream;
    }
}
