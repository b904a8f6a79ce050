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
    [InlineData("嗯，不是的", ",不是的")]
    [InlineData("嗯嗯不对", "不对")]
    [InlineData("喂，你是哪里", ",你是哪里")]
    [InlineData("额度多少", "额度多少")]
    [InlineData("嗯", "嗯")]
    [InlineData("嗯嗯", "嗯嗯")]
    [InlineData("嗯呢", "嗯呢")]
    [InlineData("啊？", "啊?")]
    [InlineData("uh huh", "uh huh")]
    public void ChineseHesitationsAreDropped_UnlessTheyAreAllThereIs(string text, string expected)
    {
        Assert.Equal(expected, TextNormalizer.WithoutHesitations(TextNormalizer.Normalize(text)));
    }

    [Theory]
    [InlineData("I don't want to talk to a machine")]
    [InlineData("I don't want any more calls")]
    [InlineData("我不想和机器人说")]
    public void ANegatedWantOfPartOfTheCall_StopsThatPart_InsteadOfDecliningTheOffer(string text)
    {
        var features = IntentFeatures.Extract(text, IntentLexicon.Default);

        Assert.Contains("k:~stop", features.Keys);
        Assert.DoesNotContain("k:!~want", features.Keys);
    }

    [Theory]
    [InlineData("I don't want it")]
    [InlineData("我不想了解")]
    public void ANegatedWantOfAnythingElse_StillDeclines(string text)
    {
        var features = IntentFeatures.Extract(text, IntentLexicon.Default);

        Assert.Contains("k:!~want", features.Keys);
        Assert.DoesNotContain("k:~stop", features.Keys);
    }

    [Fact]
    public void ANoThatOpensARefusal_IsNoNoOfItsOwn()
    {
        var features = IntentFeatures.Extract("nah we're all set", IntentLexicon.Default);

        Assert.Contains("k:~decline", features.Keys);
        Assert.DoesNotContain("k:~no", features.Keys);
    }

    [Theory]
    [InlineData("有折扣没", "~price")]
    [InlineData("包年便宜点不", "~price")]
    public void ASentenceFinalBuOrMeiAsks_AndNegatesNothing(string text, string asked)
    {
        var features = IntentFeatures.Extract(text, IntentLexicon.Default);

        Assert.Contains("k:~a-not-a", features.Keys);
        Assert.Contains("k:" + asked, features.Keys);
        Assert.DoesNotContain("k:~no", features.Keys);
    }

    [Fact]
    public void AnANotAQuestionIsNoYes_ButKeepsWhatItAsksAbout()
    {
        var isIt = IntentFeatures.Extract("你是不是打错了", IntentLexicon.Default);
        var dear = IntentFeatures.Extract("贵不贵", IntentLexicon.Default);
        var no = IntentFeatures.Extract("不不不", IntentLexicon.Default);

        Assert.Contains("k:~a-not-a", isIt.Keys);
        Assert.DoesNotContain("k:~yes", isIt.Keys);
        Assert.Contains("k:~price", dear.Keys);
        Assert.DoesNotContain("k:~a-not-a", no.Keys);
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
