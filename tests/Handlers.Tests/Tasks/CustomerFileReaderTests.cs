using System.Text;
using Aicc.Handlers.Tasks.ImportingCustomers;

namespace Aicc.Handlers.Tests.Tasks;

public sealed class CustomerFileReaderTests
{
    private static async Task<List<CustomerRow>> ReadCsv(string text)
    {
        var rows = new List<CustomerRow>();
        await foreach (var row in CustomerFileReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), CustomerFileReader.Format.Csv))
        {
            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task GivenCsvWithVariables_WhenRead_ThenRowsCountTheHeaderAsRowOne()
    {
        var rows = await ReadCsv("phone,name,city\r\n13800138000,Li Lei,Beijing\r\n13900139000,Han Meimei,\r\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal(2, rows[0].Row);
        Assert.Equal("13800138000", rows[0].Phone);
        Assert.Equal("Li Lei", rows[0].Variables["name"]);
        Assert.Equal("Beijing", rows[0].Variables["city"]);
        Assert.Equal(3, rows[1].Row);
        Assert.False(rows[1].Variables.ContainsKey("city"));
    }

    [Fact]
    public async Task GivenQuotedFieldsWithDelimitersQuotesAndLineBreaks_WhenRead_ThenFieldsAreIntact()
    {
        var rows = await ReadCsv("\uFEFFname;phone;note\n\"Wang; Xiao\";+8613700137000;\"said \"\"hi\"\"\nthen left\"\n\n18600186000;18600186000;x\n");

        Assert.Equal(2, rows.Count);
        Assert.Equal("Wang; Xiao", rows[0].Variables["name"]);
        Assert.Equal("said \"hi\"\nthen left", rows[0].Variables["note"]);
        Assert.Equal("+8613700137000", rows[0].Phone);
        Assert.Equal(4, rows[1].Row); // as a spreadsheet shows it: the two-line record is row 2, the blank line row 3
    }

    [Fact]
    public async Task GivenNoPhoneColumn_WhenRead_ThenFileErrorNamesTheColumnsFound()
    {
        var error = await Assert.ThrowsAsync<CustomerFileException>(() => ReadCsv("mobile,name\n1380013800,x\n"));

        Assert.Contains("'phone'", error.Message);
        Assert.Contains("'mobile'", error.Message);
    }

    [Fact]
    public async Task GivenUnclosedQuote_WhenRead_ThenFileErrorSaysSo()
    {
        var error = await Assert.ThrowsAsync<CustomerFileException>(() => ReadCsv("phone,name\n1380013800,\"open\n"));

        Assert.Contains("quoted field", error.Message);
    }

    [Fact]
    public async Task GivenXlsxWithNumericPhones_WhenRead_ThenPhonesAreDigitsNotScientific()
    {
        using var file = SpreadsheetWriter.Write([
            ["phone", "name", "amount"],
            [13800138000d, "Li Lei", 12.5d],
            [null, null, null],
            ["021-12345678", "Shanghai office", null],
        ]);

        var rows = new List<CustomerRow>();
        await foreach (var row in CustomerFileReader.ReadAsync(file, CustomerFileReader.Format.Xlsx))
        {
            rows.Add(row);
        }

        Assert.Equal(2, rows.Count);
        Assert.Equal("13800138000", rows[0].Phone);
        Assert.Equal("12.5", rows[0].Variables["amount"]);
        Assert.Equal(4, rows[1].Row);
        Assert.Equal("021-12345678", rows[1].Phone);
    }

    [Fact]
    public async Task GivenBytesThatAreNotASpreadsheet_WhenReadAsXlsx_ThenFileError()
    {
        await Assert.ThrowsAsync<CustomerFileException>(async () =>
        {
            await foreach (var _ in CustomerFileReader.ReadAsync(new MemoryStream("phone\n1"u8.ToArray()), CustomerFileReader.Format.Xlsx))
            {
            }
        });
    }
}
