using Aicc.Domain.Conversation.Intents;

namespace Aicc.Domain.Tests.Conversation.Intents;

public sealed class TextNormalizerTests
{
    [Fact]
    public void FullWidthLettersAndPunctuation_BecomeHalfWidthLowerCase()
    {
        Assert.Equal("ok, yes!", TextNormalizer.Normalize("ＯＫ，\u3000Ｙｅｓ！"));
    }

    [Fact]
    public void ContractionsAreExpanded_SoNegationsMeetTheSameWords()
    {
        Assert.Equal("i do not want it, i can not talk, i will not", TextNormalizer.Normalize("I don’t want it, I can't talk, I won't"));
    }

    [Theory]
    [InlineData("calling", "call")]
    [InlineData("called", "call")]
    [InlineData("calls", "call")]
    [InlineData("interested", "interest")]
    [InlineData("interesting", "interest")]
    [InlineData("driving", "driv")]
    [InlineData("drive", "driv")]
    [InlineData("getting", "get")]
    [InlineData("this", "this")]
    public void StemmerSendsInflectionsToOneFeature(string word, string stem)
    {
        Assert.Equal(stem, EnglishStemmer.Stem(word));
    }

    [Fact]
    public void ChineseIsReadAsCharacterGrams_EnglishAsWordsAndConcepts()
    {
        var chinese = IntentFeatures.Extract("不感兴趣", IntentLexicon.Default);
        Assert.Contains("z:感兴", chinese.Keys);
        Assert.Contains("z:^不", chinese.Keys);
        Assert.Contains("k:!~interest", chinese.Keys);
        Assert.DoesNotContain("k:~interest", chinese.Keys);

        var english = IntentFeatures.Extract("Can I talk to a supervisor?", IntentLexicon.Default);
        Assert.Contains("w:talk", english.Keys);
        Assert.Contains("w2:a supervisor", english.Keys);
        Assert.Contains("k:~staff", english.Keys);
        Assert.Contains("k:~speak", english.Keys);
    }
}
