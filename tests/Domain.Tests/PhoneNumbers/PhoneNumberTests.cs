using Aicc.Domain.PhoneNumbers;

namespace Aicc.Domain.Tests.PhoneNumbers;

public class PhoneNumberTests
{
    [Theory]
    [InlineData("13812345678", "+8613812345678")]
    [InlineData("138-1234-5678", "+8613812345678")]
    [InlineData(" 138 1234 5678 ", "+8613812345678")]
    [InlineData("+86 138 1234 5678", "+8613812345678")]
    [InlineData("+86-13812345678", "+8613812345678")]
    [InlineData("008613812345678", "+8613812345678")]
    [InlineData("8613812345678", "+8613812345678")]
    [InlineData("013812345678", "+8613812345678")]
    [InlineData("１３８１２３４５６７８", "+8613812345678")]
    [InlineData("＋８６ １９９ ０００ ０００００", "+8619900000000")]
    public void GivenAMainlandMobileInAnyCommonForm_WhenParsed_ThenItIsTheSameE164Mobile(string input, string e164)
    {
        Assert.True(PhoneNumber.TryParse(input, out var number, out _));
        Assert.Equal(e164, number.E164);
        Assert.Equal(PhoneNumberKind.ChinaMobile, number.Kind);
        Assert.Null(number.AreaCode);
        Assert.Equal(e164[3..], number.DomesticDialString);
    }

    [Theory]
    [InlineData("010-62345678", "+861062345678", "10")]
    [InlineData("(010) 6234 5678", "+861062345678", "10")]
    [InlineData("+86 10 62345678", "+861062345678", "10")]
    [InlineData("+86 010 62345678", "+861062345678", "10")]
    [InlineData("021-52345678", "+862152345678", "21")]
    [InlineData("0571-8765432", "+865718765432", "571")]
    [InlineData("0755 23456789", "+8675523456789", "755")]
    [InlineData("00861062345678", "+861062345678", "10")]
    public void GivenALandlineWithAreaCode_WhenParsed_ThenAreaCodeIsKnownAndTrunkZeroDropped(
        string input, string e164, string areaCode)
    {
        var number = PhoneNumber.Parse(input);
        Assert.Equal(e164, number.E164);
        Assert.Equal(PhoneNumberKind.ChinaLandline, number.Kind);
        Assert.Equal(areaCode, number.AreaCode);
        Assert.Equal("0" + e164[3..], number.DomesticDialString);
    }

    [Theory]
    [InlineData("+1 415 555 0100", "+14155550100", "1")]
    [InlineData("+44 20 7946 0958", "+442079460958", "44")]
    [InlineData("0049 30 1234567", "+49301234567", "49")]
    [InlineData("+852 2123 4567", "+85221234567", "852")]
    [InlineData("+7 495 123-45-67", "+74951234567", "7")]
    public void GivenAnInternationalNumber_WhenParsed_ThenItIsE164WithItsCountryCode(string input, string e164, string countryCode)
    {
        var number = PhoneNumber.Parse(input);
        Assert.Equal(e164, number.E164);
        Assert.Equal(PhoneNumberKind.International, number.Kind);
        Assert.Equal(countryCode, number.CountryCode);
    }

    [Theory]
    [InlineData(null, PhoneNumberParseFailure.Empty)]
    [InlineData("  ", PhoneNumberParseFailure.Empty)]
    [InlineData("-", PhoneNumberParseFailure.Empty)]
    [InlineData("138-1234-567x", PhoneNumberParseFailure.InvalidCharacters)]
    [InlineData("138 1234 5678 ext 9", PhoneNumberParseFailure.InvalidCharacters)]
    [InlineData("13+812345678", PhoneNumberParseFailure.InvalidCharacters)]
    [InlineData("1381234567", PhoneNumberParseFailure.TooShort)]
    [InlineData("138123456789", PhoneNumberParseFailure.TooLong)]
    [InlineData("12812345678", PhoneNumberParseFailure.InvalidMobilePrefix)]
    [InlineData("+86 128 1234 5678", PhoneNumberParseFailure.InvalidMobilePrefix)]
    [InlineData("62345678", PhoneNumberParseFailure.MissingAreaCode)]
    [InlineData("8765432", PhoneNumberParseFailure.MissingAreaCode)]
    [InlineData("010-1234567", PhoneNumberParseFailure.InvalidLocalNumber)]
    [InlineData("010-02345678", PhoneNumberParseFailure.InvalidLocalNumber)]
    [InlineData("010-623456", PhoneNumberParseFailure.TooShort)]
    [InlineData("010-623456789", PhoneNumberParseFailure.TooLong)]
    [InlineData("000123456789", PhoneNumberParseFailure.InvalidCountryCode)]
    [InlineData("0012345678", PhoneNumberParseFailure.TooShort)]
    [InlineData("+1 415 555 01000", PhoneNumberParseFailure.TooLong)]
    [InlineData("+0 123 4567", PhoneNumberParseFailure.InvalidCountryCode)]
    [InlineData("+1 234", PhoneNumberParseFailure.TooShort)]
    [InlineData("+1 234 567 890 123 456", PhoneNumberParseFailure.TooLong)]
    [InlineData("+", PhoneNumberParseFailure.TooShort)]
    [InlineData("0", PhoneNumberParseFailure.TooShort)]
    [InlineData("4001234567", PhoneNumberParseFailure.UnrecognisedFormat)]
    public void GivenSomethingThatIsNotADialableNumber_WhenParsed_ThenTheFailureSaysWhy(
        string? input, PhoneNumberParseFailure expected)
    {
        Assert.False(PhoneNumber.TryParse(input, out var number, out var failure));
        Assert.Null(number);
        Assert.Equal(expected, failure);
        Assert.False(string.IsNullOrWhiteSpace(PhoneNumber.Describe(failure)));
    }

    [Fact]
    public void GivenAnInvalidNumber_WhenParsedStrictly_ThenADomainErrorCarriesTheReason()
    {
        var refusal = Assert.Throws<DomainException>(() => PhoneNumber.Parse("62345678"));
        Assert.Equal("phone.invalid", refusal.Code);
        Assert.Contains("area code", refusal.Message);
    }

    [Fact]
    public void GivenTheSameNumberWrittenTwoWays_WhenParsed_ThenTheyAreEqual() =>
        Assert.Equal(PhoneNumber.Parse("010 6234 5678"), PhoneNumber.Parse("+86 (10) 6234-5678"));
}
