using Aicc.Domain.Conversation.Speech;

namespace Aicc.Domain.Tests.Conversation.Speech;

public sealed class TtsSentenceSplitterTests
{
    [Fact]
    public void ChineseIsCutAtCommasAndFullStops_ShortPiecesStayWithTheNextOne()
    {
        var pieces = TtsSentenceSplitter.Split("您好，我是Acme的智能助理。请问您是Ann本人吗？是请按1，不是请按2。");

        Assert.Equal(["您好，我是Acme的智能助理。", "请问您是Ann本人吗？", "是请按1，不是请按2。"], pieces);
    }

    [Fact]
    public void EnglishIsCutAtSentenceEndsAndLongClauses_NotInsideNumbers()
    {
        var pieces = TtsSentenceSplitter.Split("It costs 3.50 a month, and the first month is free. Would you like to sign up? We have 1,000 happy customers, all over this great country.");

        Assert.Equal(
            ["It costs 3.50 a month, and the first month is free.", "Would you like to sign up?", "We have 1,000 happy customers,", "all over this great country."],
            pieces);
    }

    [Fact]
    public void AShortTailJoinsThePreviousPiece()
    {
        Assert.Equal(["我们明天上午给您回电，再见。"], TtsSentenceSplitter.Split("我们明天上午给您回电，再见。"));
        Assert.Equal(["Thank you for your time today. Bye."], TtsSentenceSplitter.Split("Thank you for your time today. Bye."));
    }

    [Fact]
    public void RunsOfMarksAndClosingQuotesStayWithTheirPiece()
    {
        var pieces = TtsSentenceSplitter.Split("他说：“这是真的吗？！”我们都笑了起来……然后继续工作。");

        Assert.Equal(["他说：“这是真的吗？！”", "我们都笑了起来……", "然后继续工作。"], pieces);
    }

    [Fact]
    public void TextWithoutPunctuationIsOnePiece_EmptyTextIsNone()
    {
        Assert.Equal(["please hold"], TtsSentenceSplitter.Split("please hold"));
        Assert.Empty(TtsSentenceSplitter.Split("  "));
        Assert.Empty(TtsSentenceSplitter.Split("，。"));
    }

    [Fact]
    public void AZeroMinimumCutsAtEveryMark()
    {
        Assert.Equal(["好的，", "再见。"], TtsSentenceSplitter.Split("好的，再见。", minSyllables: 0.1));
    }
}
