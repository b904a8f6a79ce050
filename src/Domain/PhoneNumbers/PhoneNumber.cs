using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Serialization;

namespace Aicc.Domain.PhoneNumbers;

/// <summary>
/// A dialable telephone number in one canonical form (E.164, <c>+8613812345678</c>). Customer
/// lists arrive typed by people and spreadsheets (<c>138-1234-5678</c>, <c>(010) 1234 5678</c>,
/// <c>0086 138...</c>, full-width digits); normalising at the edge is what lets duplicates be found,
/// frequency limits be counted per callee, and the nearest caller city be chosen from the area code.
/// </summary>
[JsonConverter(typeof(PhoneNumberJsonConverter))]
public sealed record PhoneNumber
{
    private const string ChinaCountryCode = "86";

    private PhoneNumber(PhoneNumberKind kind, string countryCode, string nationalNumber, string? areaCode)
    {
        Kind = kind;
        CountryCode = countryCode;
        NationalNumber = nationalNumber;
        AreaCode = areaCode;
    }

    public PhoneNumberKind Kind { get; }

    /// <summary>The ITU country calling code without <c>+</c> (<c>86</c>, <c>1</c>, <c>44</c>).</summary>
    public string CountryCode { get; }

    /// <summary>The digits after the country code, without any trunk prefix (<c>1012345678</c>).</summary>
    public string NationalNumber { get; }

    /// <summary>Mainland China landline area code without the trunk 0 (<c>10</c>, <c>571</c>); null otherwise.</summary>
    public string? AreaCode { get; }

    public string E164 => "+" + CountryCode + NationalNumber;

    /// <summary>How a caller inside mainland China dials it: landlines get the trunk 0 back.</summary>
    public string DomesticDialString => Kind switch
    {
        PhoneNumberKind.ChinaMobile => NationalNumber,
        PhoneNumberKind.ChinaLandline => "0" + NationalNumber,
        _ => "00" + CountryCode + NationalNumber,
    };

    public override string ToString() => E164;

    /// <summary>Parses what a person or a spreadsheet typed; never throws.</summary>
    public static bool TryParse(
        string? input,
        [NotNullWhen(true)] out PhoneNumber? number,
        out PhoneNumberParseFailure failure)
    {
        var result = ParseCore(input);
        number = result.Number;
        failure = result.Failure;
        return number is not null;
    }

    /// <summary>Parses or throws a <see cref="DomainException"/> with code <c>phone.invalid</c>.</summary>
    public static PhoneNumber Parse(string? input)
    {
        if (TryParse(input, out var number, out var failure))
        {
            return number;
        }

        throw new DomainException("phone.invalid", $"'{input}' is not a phone number: {Describe(failure)}");
    }

    /// <summary>A one-line English reason an import can report next to the row number.</summary>
    public static string Describe(PhoneNumberParseFailure failure) => failure switch
    {
        PhoneNumberParseFailure.Empty => "the phone number is empty",
        PhoneNumberParseFailure.InvalidCharacters => "the phone number contains characters other than digits, '+' and separators",
        PhoneNumberParseFailure.TooShort => "the phone number has too few digits",
        PhoneNumberParseFailure.TooLong => "the phone number has too many digits",
        PhoneNumberParseFailure.InvalidCountryCode => "the country code is not valid",
        PhoneNumberParseFailure.InvalidMobilePrefix => "a mainland China mobile number starts with 13-19",
        PhoneNumberParseFailure.InvalidAreaCode => "the landline area code is not a mainland China area code",
        PhoneNumberParseFailure.InvalidLocalNumber => "the landline's local number must start with 2-9",
        PhoneNumberParseFailure.MissingAreaCode => "a landline number needs its area code (for example 010 or 0571)",
        PhoneNumberParseFailure.UnrecognisedFormat => "the number is neither a mainland China mobile or landline nor an international +CC number",
        _ => failure.ToString(),
    };

    private static (PhoneNumber? Number, PhoneNumberParseFailure Failure) ParseCore(string? input)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return Fail(PhoneNumberParseFailure.Empty);
        }

        var compact = Compact(input);
        if (compact is null)
        {
            return Fail(PhoneNumberParseFailure.InvalidCharacters);
        }

        if (compact.Length == 0)
        {
            return Fail(PhoneNumberParseFailure.Empty);
        }

        if (compact[0] == '+')
        {
            return ParseInternational(compact[1..]);
        }

        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            return ParseInternational(compact[2..]);
        }

        // 86 followed by a mobile number is how some exports write +86 without the plus.
        if (compact.Length == 13 && compact.StartsWith("861", StringComparison.Ordinal))
        {
            return ParseChinaFromCountryCode(compact[2..]);
        }

        return ParseChinaDomestic(compact);
    }

    /// <summary>Strips separators and folds full-width characters; null when anything else is present.</summary>
    private static string? Compact(string input)
    {
        var builder = new StringBuilder(input.Length);
        foreach (var raw in input.Trim())
        {
            var c = raw is >= '\uFF10' and <= '\uFF19' ? (char)(raw - '\uFF10' + '0') : raw;
            c = c == '\uFF0B' ? '+' : c;
            if (char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else if (c == '+' && builder.Length == 0)
            {
                builder.Append(c);
            }
            else if (c is ' ' or '-' or '.' or '(' or ')' or '\u3000' or '\uFF0D' or '\uFF08' or '\uFF09' or '\t')
            {
                continue;
            }
            else
            {
                return null;
            }
        }

        return builder.ToString();
    }

    private static (PhoneNumber?, PhoneNumberParseFailure) ParseInternational(string digits)
    {
        if (digits.Length == 0)
        {
            return Fail(PhoneNumberParseFailure.TooShort);
        }

        if (digits[0] == '0')
        {
            return Fail(PhoneNumberParseFailure.InvalidCountryCode);
        }

        var countryCode = CountryCodeOf(digits);
        if (countryCode == ChinaCountryCode)
        {
            return ParseChinaFromCountryCode(digits[2..]);
        }

        // E.164 caps the whole number at 15 digits; 7 is the shortest real numbering plan's total.
        if (digits.Length < 7)
        {
            return Fail(PhoneNumberParseFailure.TooShort);
        }

        if (digits.Length > 15)
        {
            return Fail(PhoneNumberParseFailure.TooLong);
        }

        // The North American plan is the one large zone with a fixed length: ten digits after the 1.
        if (countryCode == "1" && digits.Length != 11)
        {
            return Fail(digits.Length < 11 ? PhoneNumberParseFailure.TooShort : PhoneNumberParseFailure.TooLong);
        }

        return Ok(new PhoneNumber(PhoneNumberKind.International, countryCode, digits[countryCode.Length..], null));
    }

    private static (PhoneNumber?, PhoneNumberParseFailure) ParseChinaFromCountryCode(string national)
    {
        // "+86 010 ..." keeps the domestic trunk 0 by mistake; the 0 is never part of the number.
        if (national.StartsWith('0'))
        {
            national = national[1..];
        }

        if (national.Length == 0)
        {
            return Fail(PhoneNumberParseFailure.TooShort);
        }

        // After +86 a leading 10 is Beijing's area code; any other leading 1 is a mobile.
        if (national.StartsWith("10", StringComparison.Ordinal))
        {
            return ParseLandline(national);
        }

        return national[0] == '1' ? ParseMobile(national) : ParseLandline(national);
    }

    private static (PhoneNumber?, PhoneNumberParseFailure) ParseChinaDomestic(string digits)
    {
        if (digits[0] == '1')
        {
            return ParseMobile(digits);
        }

        if (digits[0] == '0')
        {
            // 0 before a mobile is the long-distance habit of some PBXs; area codes never start with 1 except 10.
            if (digits.Length == 12 && digits[1] == '1' && digits[2] != '0')
            {
                return ParseMobile(digits[1..]);
            }

            return digits.Length == 1 ? Fail(PhoneNumberParseFailure.TooShort) : ParseLandline(digits[1..]);
        }

        return digits.Length is 7 or 8
            ? Fail(PhoneNumberParseFailure.MissingAreaCode)
            : Fail(PhoneNumberParseFailure.UnrecognisedFormat);
    }

    private static (PhoneNumber?, PhoneNumberParseFailure) ParseMobile(string national)
    {
        if (national.Length < 11)
        {
            return Fail(PhoneNumberParseFailure.TooShort);
        }

        if (national.Length > 11)
        {
            return Fail(PhoneNumberParseFailure.TooLong);
        }

        if (national[1] is < '3' or > '9')
        {
            return Fail(PhoneNumberParseFailure.InvalidMobilePrefix);
        }

        return Ok(new PhoneNumber(PhoneNumberKind.ChinaMobile, ChinaCountryCode, national, null));
    }

    /// <summary>Area code and local number, trunk 0 already removed.</summary>
    private static (PhoneNumber?, PhoneNumberParseFailure) ParseLandline(string areaAndLocal)
    {
        // Mainland area codes: 10 and 20-29 have two digits, every other code three digits starting 3-9.
        int areaLength;
        if (areaAndLocal.StartsWith("10", StringComparison.Ordinal) || areaAndLocal[0] == '2')
        {
            areaLength = 2;
        }
        else if (areaAndLocal[0] is >= '3' and <= '9')
        {
            areaLength = 3;
        }
        else
        {
            return Fail(PhoneNumberParseFailure.InvalidAreaCode);
        }

        var localLength = areaAndLocal.Length - areaLength;
        if (localLength < 7)
        {
            return Fail(PhoneNumberParseFailure.TooShort);
        }

        if (localLength > 8)
        {
            return Fail(PhoneNumberParseFailure.TooLong);
        }

        if (areaAndLocal[areaLength] is '0' or '1')
        {
            return Fail(PhoneNumberParseFailure.InvalidLocalNumber);
        }

        return Ok(new PhoneNumber(
            PhoneNumberKind.ChinaLandline, ChinaCountryCode, areaAndLocal, areaAndLocal[..areaLength]));
    }

    /// <summary>
    /// The country code's length follows ITU-T E.164's assignment: 1 and 7 are one digit, a short
    /// list of zones have two, all others three.
    /// </summary>
    private static string CountryCodeOf(string digits)
    {
        if (digits[0] is '1' or '7')
        {
            return digits[..1];
        }

        if (digits.Length >= 2 && TwoDigitCountryCodes.Contains(digits[..2]))
        {
            return digits[..2];
        }

        return digits[..Math.Min(3, digits.Length)];
    }

    private static readonly HashSet<string> TwoDigitCountryCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
        "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
        "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];

    private static (PhoneNumber?, PhoneNumberParseFailure) Ok(PhoneNumber number) => (number, default);

    private static (PhoneNumber?, PhoneNumberParseFailure) Fail(PhoneNumberParseFailure failure) => (null, failure);
}

/// <summary>What kind of number was recognised; landlines carry an area code for caller-city choice.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PhoneNumberKind>))]
public enum PhoneNumberKind
{
    ChinaMobile,
    ChinaLandline,
    International,
}

/// <summary>Why an input is not a phone number; the import reports it per row.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PhoneNumberParseFailure>))]
public enum PhoneNumberParseFailure
{
    Empty = 1,
    InvalidCharacters,
    TooShort,
    TooLong,
    InvalidCountryCode,
    InvalidMobilePrefix,
    InvalidAreaCode,
    InvalidLocalNumber,
    MissingAreaCode,
    UnrecognisedFormat,
}

/// <summary>Stores a phone number as its E.164 string, so events stay readable and stable.</summary>
public sealed class PhoneNumberJsonConverter : System.Text.Json.Serialization.JsonConverter<PhoneNumber>
{
    public override PhoneNumber Read(
        ref System.Text.Json.Utf8JsonReader reader, Type typeToConvert, System.Text.Json.JsonSerializerOptions options) =>
        PhoneNumber.Parse(reader.GetString());

    public override void Write(
        System.Text.Json.Utf8JsonWriter writer, PhoneNumber value, System.Text.Json.JsonSerializerOptions options) =>
        writer.WriteStringValue(value.E164);
}
