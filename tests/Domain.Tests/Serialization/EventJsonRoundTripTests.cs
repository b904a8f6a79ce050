using System.Reflection;
using System.Text.Json;
using Aicc.Domain.Agents;
using Aicc.Domain.Calls;
using Aicc.Domain.Common;
using Aicc.Domain.CustomerBatches;
using Aicc.Domain.Employees;
using Aicc.Domain.Lines;
using Aicc.Domain.PhoneNumbers;
using Aicc.Domain.Robots;
using Aicc.Domain.Tasks;
using Aicc.Domain.Tenants;

namespace Aicc.Domain.Tests.Serialization;

/// <summary>
/// Every event of every stream must survive System.Text.Json unchanged, or the event store would
/// hand deciders a different history than the one appended. Samples are built by reflection, so an
/// event added later is covered without touching this file.
/// </summary>
public class EventJsonRoundTripTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static TheoryData<Type> EventTypes()
    {
        var roots = new[]
        {
            typeof(TenantEvent), typeof(EmployeeEvent), typeof(AgentEvent), typeof(RobotEvent), typeof(LineEvent),
            typeof(CallTaskEvent), typeof(CustomerBatchEvent), typeof(CallEvent), typeof(Aicc.Domain.Compliance.DialListEvent),
        };
        var data = new TheoryData<Type>();
        foreach (var type in roots.SelectMany(root => root.GetNestedTypes().Where(root.IsAssignableFrom)))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EventTypes))]
    public void GivenAnEventWithEveryFieldSet_WhenSerialisedAndRead_ThenItIsEqualToTheOriginal(Type eventType)
    {
        var original = Sample(eventType);
        var json = JsonSerializer.Serialize(original, eventType, Json);
        var read = JsonSerializer.Deserialize(json, eventType, Json);
        Assert.Equal(original, read);
    }

    [Fact]
    public void GivenAPhoneNumberField_WhenSerialised_ThenItIsStoredAsItsE164StringAndEnumsByName()
    {
        var json = JsonSerializer.SerializeToElement(new CallerIdRules(CallerIdMode.Fixed, PhoneNumber.Parse("010-62345678"), "9"), Json);
        Assert.Equal("+861062345678", json.GetProperty("fixedNumber").GetString());
        Assert.Equal("Fixed", json.GetProperty("mode").GetString());
    }

    private static object Sample(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            return Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - 1)!;
        }

        return underlying switch
        {
            _ when underlying == typeof(Guid) => Guid.Parse("0195a000-0000-7000-8000-00000000abcd"),
            _ when underlying == typeof(string) => "sample",
            _ when underlying == typeof(int) => 7,
            _ when underlying == typeof(bool) => true,
            _ when underlying == typeof(decimal) => 1.5m,
            _ when underlying == typeof(double) => 0.875,
            _ when underlying == typeof(DateTimeOffset) => new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.FromHours(8)),
            _ when underlying == typeof(TimeSpan) => TimeSpan.FromMinutes(90),
            _ when underlying == typeof(TimeOnly) => new TimeOnly(9, 30),
            _ when underlying == typeof(PhoneNumber) => PhoneNumber.Parse("+86 138 0013 8000"),
            _ when underlying == typeof(ValueMap) => ValueMap.Of(("name", "Li Lei"), ("plan", "gold")),
            _ when underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(ValueList<>) =>
                Activator.CreateInstance(underlying, SampleArray(underlying.GetGenericArguments()[0]))!,
            _ when underlying.IsAbstract => Sample(underlying.GetNestedTypes().Last(underlying.IsAssignableFrom)),
            _ => Construct(underlying),
        };
    }

    private static Array SampleArray(Type elementType)
    {
        var array = Array.CreateInstance(elementType, 1);
        array.SetValue(Sample(elementType), 0);
        return array;
    }

    private static object Construct(Type type)
    {
        var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
            .OrderByDescending(c => c.GetParameters().Length)
            .First();
        return constructor.Invoke(constructor.GetParameters().Select(p => Sample(p.ParameterType)).ToArray());
    }
}
