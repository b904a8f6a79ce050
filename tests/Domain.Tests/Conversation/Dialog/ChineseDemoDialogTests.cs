using Aicc.Domain.Conversation.Demo;
using Aicc.Domain.Conversation.Dialog;
using static Aicc.Domain.Tests.Conversation.Dialog.Caller;

namespace Aicc.Domain.Tests.Conversation.Dialog;

public sealed class ChineseDemoDialogTests
{
    private static DialogSpec AtConfirm() => new DialogSpec(RobotDemo.Script("zh")).Given(Answers(), PromptEnds());

    [Fact]
    public void GivenChineseScript_WhenAnswered_ThenThePinyinVoiceSpeaksAndKeysAreOffered()
    {
        new DialogSpec(RobotDemo.Script("zh")).Given(Answers()).When(PromptEnds()).Then(
            "played greet",
            "enter confirm",
            "say confirm (barge-in): 请问您是Ann本人吗？是请按1，不是请按2，转人工请按0。",
            "listen confirm keys=1,2,0 timeout=6000");
        Assert.Equal("cmn-latn-pinyin", AtConfirm().State.Voice);
    }

    [Fact]
    public void GivenChineseAsk_WhenCallerPresses1_ThenTheDialogGoesOn()
    {
        AtConfirm().When(Presses("1")).Then(
            "pressed 1",
            "stop playback confirm",
            "intent affirm",
            "enter pitch",
            "say pitch (barge-in): Acme本月推出了Fibre 500优惠活动。想了解详情请按1，不需要请按2，咨询价格请按3，转人工请按0。",
            "listen pitch keys=1,2,3,0 timeout=6000");
    }

    [Fact]
    public void GivenChineseAsk_WhenCallerPresses0_ThenTheCallGoesToTheChineseSkillGroup()
    {
        AtConfirm().Given(PromptEnds()).When(Presses("0")).Then(
            "pressed 0",
            "intent transfer_to_human",
            "enter handover",
            "say handover: 好的，正在为您转接人工客服，请稍候。",
            "transfer to sales-zh");
    }

    [Fact]
    public void GivenChineseAsk_WhenCallerPressesAnUnmappedKey_ThenItIsANoMatch()
    {
        AtConfirm().Given(PromptEnds()).When(Presses("7")).Then(
            "pressed 7",
            "no match 1",
            "say confirm (barge-in): 抱歉没有听清。是本人请按1，不是请按2。",
            "listen confirm keys=1,2,0 timeout=6000");
    }

    [Fact]
    public void GivenBusyCaller_WhenTheyKeyInACallbackSlot_ThenDigitsAreStoredAndTheBranchPicksTheGoodbye()
    {
        var spec = AtConfirm().When(Says("我在开会", "busy_callback")).Then(
            "caller said: 我在开会",
            "stop playback confirm",
            "intent busy_callback",
            "enter callback_slot",
            "say callback_slot (barge-in): 好的，上午回电请按1，下午回电请按2。",
            "collect digits callback_slot max=1 until=#");

        spec.When(Presses("2")).Then(
            "stop playback callback_slot",
            "pressed 2",
            "set callback_slot=2",
            "enter callback_branch",
            "enter callback_afternoon_bye",
            "say callback_afternoon_bye: 好的，我们明天下午给您回电，再见。",
            "hang up: callback");
    }

    [Fact]
    public void GivenDigitCollection_WhenNothingIsPressed_ThenRetryThenDefaultGoodbye()
    {
        var spec = AtConfirm().Given(Says("现在没空", "busy_callback"), PromptEnds());
        spec.When(StaysSilent()).Then(
            "no input 1",
            "say callback_slot (barge-in): 好的，上午回电请按1，下午回电请按2。",
            "collect digits callback_slot max=1 until=#");
        spec.When(StaysSilent()).Then("no input 2", "enter callback_bye", "say callback_bye: 好的，我们稍后再联系您，再见。", "hang up: callback");
    }

    [Fact]
    public void GivenChineseAsk_WhenSpeechSaysDoNotCall_ThenNumberIsAddedAndCallEnds()
    {
        AtConfirm().When(Says("别再给我打电话了", "do_not_call")).ThenIncludes("add to do-not-call", "hang up: do_not_call");
    }
}
