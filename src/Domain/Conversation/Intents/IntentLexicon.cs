namespace Aicc.Domain.Conversation.Intents;

/// <summary>
/// Words that mean the same thing on a sales or service call, grouped under one concept
/// ("agent", "representative", "operator" -> <c>~staff</c>; "价格", "费用", "多少钱" -> <c>~price</c>).
/// A script teaches each intent with about ten examples, so a caller who says "supervisor"
/// where the examples said "manager" would otherwise meet no known feature. The lexicon is
/// language knowledge, not intent knowledge: it never names an intent, the trained model
/// learns which concepts point where. Scripts may add their own groups.
/// </summary>
public sealed class IntentLexicon
{
    private readonly Dictionary<string, List<(string[] Tokens, string Concept)>> _english = new(StringComparer.Ordinal);
    private readonly Dictionary<char, List<(string Phrase, string Concept)>> _chinese = [];
    private readonly List<KeyValuePair<string, IReadOnlyList<string>>> _groups = [];

    public IntentLexicon(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> groups)
    {
        foreach (var (concept, phrases) in groups)
        {
            foreach (var phrase in phrases)
            {
                Add(concept, phrase);
            }
        }

        foreach (var list in _english.Values)
        {
            list.Sort((a, b) => b.Tokens.Length.CompareTo(a.Tokens.Length));
        }

        foreach (var list in _chinese.Values)
        {
            list.Sort((a, b) => b.Phrase.Length.CompareTo(a.Phrase.Length));
        }
    }

    /// <summary>An empty lexicon: features come from the examples alone.</summary>
    public static IntentLexicon None { get; } = new([]);

    /// <summary>The built-in groups for English and Mandarin telephone conversations.</summary>
    public static IntentLexicon Default { get; } = new(DefaultGroups());

    /// <summary>This lexicon with more groups (a script's own synonyms) added.</summary>
    public IntentLexicon With(IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> groups) =>
        new(_groups.Concat(groups));

    /// <summary>The longest English phrase starting at <paramref name="start"/> (stemmed tokens), if any.</summary>
    public (string Concept, int Length)? MatchEnglish(IReadOnlyList<string> tokens, int start)
    {
        if (!_english.TryGetValue(tokens[start], out var candidates))
        {
            return null;
        }

        foreach (var (phrase, concept) in candidates)
        {
            if (start + phrase.Length > tokens.Count)
            {
                continue;
            }

            var matches = true;
            for (var i = 1; i < phrase.Length && matches; i++)
            {
                matches = tokens[start + i] == phrase[i];
            }

            if (matches)
            {
                return (concept, phrase.Length);
            }
        }

        return null;
    }

    /// <summary>The longest Chinese phrase starting at <paramref name="start"/>, if any.</summary>
    public (string Concept, int Length)? MatchChinese(string run, int start)
    {
        if (!_chinese.TryGetValue(run[start], out var candidates))
        {
            return null;
        }

        foreach (var (phrase, concept) in candidates)
        {
            if (string.CompareOrdinal(run, start, phrase, 0, phrase.Length) == 0 && start + phrase.Length <= run.Length)
            {
                return (concept, phrase.Length);
            }
        }

        return null;
    }

    private void Add(string concept, string phrase)
    {
        _groups.Add(new(concept, [phrase]));
        var normalized = TextNormalizer.Normalize(phrase).Trim();
        if (normalized.Length == 0)
        {
            return;
        }

        if (normalized.Any(TextNormalizer.IsCjk))
        {
            var key = normalized[0];
            if (!_chinese.TryGetValue(key, out var list))
            {
                _chinese[key] = list = [];
            }

            list.Add((normalized, concept));
            return;
        }

        var tokens = IntentFeatures.EnglishWords(normalized).Select(EnglishStemmer.Stem).ToArray();
        if (tokens.Length == 0)
        {
            return;
        }

        if (!_english.TryGetValue(tokens[0], out var english))
        {
            _english[tokens[0]] = english = [];
        }

        english.Add((tokens, concept));
    }

    private static IEnumerable<KeyValuePair<string, IReadOnlyList<string>>> DefaultGroups()
    {
        static KeyValuePair<string, IReadOnlyList<string>> G(string concept, params string[] phrases) => new(concept, phrases);

        // English.
        yield return G("~person", "human", "person", "people", "someone", "somebody", "individual", "human being", "guy", "man", "woman", "lady");
        yield return G("~staff", "agent", "representative", "rep", "operator", "staff", "employee", "manager", "supervisor", "advisor", "adviser",
            "consultant", "customer service", "customer support", "customer care", "support", "boss", "attendant", "receptionist", "specialist");
        yield return G("~real", "real", "live", "actual", "proper");
        yield return G("~machine", "machine", "robot", "bot", "computer", "automated", "recording", "ai", "automatic");
        yield return G("~speak", "speak", "talk", "chat", "converse", "discuss", "speaking", "talking");
        yield return G("~transfer", "transfer", "connect", "put me through", "put through", "forward", "switch", "redirect", "patch", "get me",
            "on the line", "on the phone", "put on", "give me");
        yield return G("~price", "price", "cost", "fee", "charge", "pay", "expensive", "cheap", "rate", "pricing", "money", "dollar", "bill",
            "afford", "how much", "free", "payment", "monthly", "per month", "a month", "a year", "annual", "discount", "run me", "set me back");
        yield return G("~interest", "interested", "interesting", "interest", "curious", "intrigued", "intrigue", "consider", "think about it");
        yield return G("~more", "more", "detail", "details", "explain", "elaborate", "go on", "go ahead", "continue", "tell me", "hear more",
            "know more", "learn more", "include", "offer", "information", "info", "how does it work", "how does this work", "how does that work", "how would it work", "how it works", "carry on", "keep going", "curious to hear", "like to hear", "love to hear",
            "how would this work", "how would that work", "actually work", "work for me", "what do i get", "what would i get");
        yield return G("~good", "good", "great", "nice", "useful", "helpful", "cool", "awesome", "excellent", "wonderful", "perfect", "fantastic", "handy", "worthwhile", "worth it", "worth a try",
            "valuable", "beneficial", "help", "help us", "help me");
        yield return G("~join", "sign up", "join", "register", "enroll", "enrol", "buy", "purchase", "order", "get started", "apply", "get it", "get one");
        yield return G("~busy", "busy", "driving", "drive", "meeting", "work", "working", "occupied", "tied up", "in the middle", "at work",
            "in a meeting", "on the road", "bad time", "not a good time", "cooking", "with a client", "can not talk", "can not speak",
            "not free", "not available");
        yield return G("~later", "later", "tomorrow", "tonight", "evening", "afternoon", "morning", "hour", "hours", "minute", "minutes",
            "another time", "next week", "some other time", "soon", "weekend", "another day", "some other day");
        yield return G("~callback", "call back", "call me back", "ring back", "call me later", "try again", "try me", "get back to me", "callback", "give me a ring", "give me a call", "give me a buzz");
        yield return G("~call", "call", "ring", "phone", "dial", "contact", "calls", "calling");
        yield return G("~stop", "stop", "quit", "cease", "enough", "leave me alone", "no more");
        yield return G("~again", "again", "anymore", "any more", "ever", "in the future");
        yield return G("~list", "list", "database", "records", "system", "mailing list", "contact list", "register");
        yield return G("~remove", "remove", "delete", "take off", "take me off", "erase", "unsubscribe", "opt out", "take my number off", "block", "lose my number");
        yield return G("~complain", "report", "complain", "complaint", "sue", "harass", "harassment", "harassing", "police", "lawyer",
            "authorities", "annoying", "spam", "scam", "regulator", "how many times");
        yield return G("~wrong", "wrong", "mistake", "mistaken", "incorrect");
        yield return G("~misdial", "misdialed", "misdial", "dialed wrong", "dialled wrong", "wrong number", "wrong person", "wrong guy",
            "wrong phone", "wrong line", "called wrong", "by mistake", "by accident", "wrong man", "wrong woman", "wrong people");
        yield return G("~nobody", "nobody", "no one", "noone", "no such person", "not here", "not him", "not her", "not that person",
            "not me", "not the number", "not use this number", "not have this number", "not the person", "not the one", "not the guy", "not the right person", "not my name", "does not live here",
            "do not know him", "do not know her", "do not know who", "do not know anyone", "do not know anybody", "not his number", "not her number",
            "not his phone", "not her phone", "never heard of", "someone else", "somebody else", "not who you",
            "his number", "her number", "moved", "moved out", "moved away", "different number", "new number",
            "changed number", "changed his number", "changed her number");
        yield return G("~thatperson", "that person", "this person", "the person", "that guy", "that man", "that woman");
        yield return G("~who", "who", "whom", "who is this", "who are you", "which person");
        yield return G("~company", "company", "business", "organization", "organisation", "firm", "agency", "calling from", "coming from",
            "which company", "what company");
        yield return G("~areyou", "are you a", "are you an", "is this a", "is this an", "am i talking to", "am i talking with", "am i speaking to",
            "am i speaking with");
        yield return G("~about", "about", "regarding", "concerning", "purpose", "reason", "what for");
        yield return G("~yes", "yes", "yeah", "yep", "yup", "ya", "yah", "sure", "certainly", "of course", "absolutely", "definitely", "indeed",
            "ok", "okay", "why not", "correct", "right", "exactly", "affirmative", "uh huh", "mm hmm", "true", "that is me", "it is me", "speaking");
        yield return G("~no", "no", "nope", "nah", "negative", "not", "never", "no way", "false", "nay", "do not think so", "i do not think so");
        yield return G("~repeat", "repeat", "pardon", "say that", "say again", "come again", "one more time", "once more", "what was that",
            "again please", "sorry what", "what did you say", "say it again", "huh", "eh", "wait what", "last bit", "last part");
        yield return G("~hear", "hear", "catch", "understand", "louder", "speak up", "missed", "miss", "didn't get", "cut out", "breaking up",
            "unclear", "hard to hear", "bad line", "bad connection", "slower", "slow down");
        yield return G("~decline", "pass", "no thanks", "no thank you", "not for me", "i am good", "we are good", "i am fine", "we are fine",
            "not need", "no need", "no interest", "no use", "any use for", "happy with what", "happy with my", "happy with our",
            "satisfied with what", "satisfied with my", "satisfied with our", "not my thing", "not my cup of tea", "not into", "all set");
        yield return G("~want", "want", "need", "require", "looking for", "would like", "wish");
        yield return G("~name", "name", "by that name", "called that", "named");
        yield return G("~mynumber", "my number", "this number", "my phone number", "my details", "contact info", "contact details", "my info");
        yield return G("~sounds", "sounds", "sound", "sounds like");
        yield return G("~have", "already have", "already got", "have one", "got one", "have it");
        yield return G("~thanks", "thanks", "thank you", "thank", "cheers");
        // Everyday English variants, one group per concept, added from how callers talk.
        yield return G("~busy", "in the car", "on my way", "at the office", "at dinner", "having dinner", "with the kids", "in class",
            "swamped", "slammed", "snowed under", "in a hurry", "in a rush", "rushing", "running late", "on another call", "on the other line",
            "middle of something", "not now", "not right now", "not a great time", "no time", "got no time", "can not chat", "a bit busy");
        yield return G("~later", "later on", "next time", "end of the day", "after lunch", "after work", "in a bit", "in a while", "a little while",
            "shortly", "later today", "next month", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday");
        yield return G("~callback", "ring me back", "phone me back", "reach me later", "catch me later", "talk later", "speak later",
            "call me tomorrow", "ring me later", "give me a shout");
        yield return G("~price", "quote", "ballpark", "price tag", "tariff", "bucks", "pounds", "euros", "pricey", "costly", "affordable",
            "subscription", "deposit", "upfront", "installment", "instalment", "what is the damage");
        yield return G("~interest", "keen", "tempted", "open to", "sounds promising", "like the sound");
        yield return G("~more", "send me", "send over", "email me", "brochure", "leaflet", "catalog", "catalogue", "website", "text me",
            "walk me through", "run me through", "fill me in", "demo", "trial", "more about", "what is involved");
        yield return G("~good", "brilliant", "lovely", "neat", "not bad", "decent", "promising", "appealing", "attractive");
        yield return G("~join", "subscribe", "sign me up", "count me in", "go for it", "book");
        yield return G("~stop", "knock it off", "cut it out", "give it a rest", "lay off", "back off", "stop it");
        yield return G("~again", "in future", "every day", "all the time", "constantly", "nonstop");
        yield return G("~remove", "scrub", "wipe", "cross off", "off your list", "off the list", "opt me out", "forget my number", "blacklist");
        yield return G("~complain", "fed up", "sick of", "sick and tired", "pestering", "pester", "nuisance", "ridiculous", "illegal", "legal action");
        yield return G("~misdial", "misdialled", "wrong contact", "wrong house", "wrong family", "wrong name", "got the wrong", "dialed the wrong");
        yield return G("~nobody", "passed away", "died", "deceased", "previous owner", "new owner", "not mine", "never lived here",
            "does not work here", "no longer live", "no longer lives", "no longer works", "changed numbers", "just got this number");
        yield return G("~who", "identify yourself", "who is calling", "who is speaking");
        yield return G("~company", "brand", "outfit", "corporation", "who do you work for", "who do you represent", "where are you calling from");
        yield return G("~yes", "yea", "aye", "alright", "all right", "you bet", "for sure", "totally", "sure thing", "no problem", "by all means",
            "please do", "roger", "mhm", "agreed", "agree", "yes please", "that is right", "precisely");
        yield return G("~no", "not really", "not at all", "absolutely not", "definitely not", "certainly not", "of course not", "hell no",
            "not true", "no sir", "uh uh", "by no means");
        yield return G("~repeat", "say what", "run that by me", "go over that", "what did you just say", "excuse me");
        yield return G("~hear", "faint", "quiet", "muffled", "static", "echo", "crackling", "choppy", "too fast", "so fast", "fast", "mumbling",
            "volume", "lost you", "cutting out", "poor signal", "bad reception", "reception", "speak clearly");
        yield return G("~decline", "not for us", "not right for me", "i am okay", "we are okay", "not looking", "not in the market",
            "not necessary", "unnecessary", "sorted", "got it covered", "do not bother", "not worth", "waste of time", "fine as is");
        yield return G("~have", "already use", "already with", "already signed", "already a customer", "already subscribed", "have a provider",
            "got it already", "have already");
        yield return G("~staff", "service desk", "help desk", "helpdesk", "sales", "salesperson", "clerk", "associate", "team member",
            "technician", "person in charge", "someone in charge", "superior", "higher up", "management");
        yield return G("~machine", "robocall", "robotic", "recorded", "prerecorded", "chatbot", "virtual", "artificial", "synthetic");
        yield return G("~transfer", "pass me to", "pass me on", "pass me over", "hand me over", "hook me up", "escalate");

        // Mandarin.
        yield return G("~staff", "人工", "客服", "坐席", "工作人员", "经理", "主管", "领导", "接线员", "专员", "负责人", "业务员", "服务员", "员工");
        yield return G("~person", "真人", "活人", "人");
        yield return G("~machine", "机器人", "机器", "录音", "自动");
        yield return G("~speak", "说话", "聊聊", "聊", "通话", "讲话", "对话", "沟通", "交流", "谈", "接电话", "接听");
        yield return G("~transfer", "转", "转接", "接通", "转给", "转到", "换", "接");
        yield return G("~price", "钱", "价格", "价钱", "费用", "收费", "费", "贵", "便宜", "优惠", "折扣", "报价", "资费", "多少钱", "免费", "年费",
            "月费", "花", "付", "价位");
        yield return G("~interest", "兴趣", "感兴趣", "有意思", "有点意思", "心动", "考虑");
        // "X都没有", "X也没有": the negation follows what it negates, which the concept stream
        // (negation first) would read as a bare no.
        yield return G("!~interest", "兴趣都没有", "兴趣都没", "兴趣也没有", "兴趣也没");
        yield return G("~more", "介绍", "资料", "详细", "具体", "讲讲", "说说", "了解", "听听", "继续", "接着", "展开", "多讲", "多说", "讲一讲", "说一说", "说吧", "听着", "讲吧", "说来听听");
        yield return G("~good", "不错", "挺好", "很好", "好用", "有用", "划算");
        yield return G("~join", "办理", "开通", "办", "申请", "购买", "买", "报名", "加入", "注册");
        yield return G("~busy", "忙", "开车", "开会", "上班", "没空", "没时间", "不方便", "有事", "工作", "在外面");
        yield return G("~later", "晚点", "等会", "等会儿", "待会", "待会儿", "过会", "过会儿", "明天", "晚上", "下午", "上午", "改天", "回头", "稍后",
            "一会儿", "一会", "等一下", "等下", "晚一点", "后天", "下周", "小时", "晚些", "下次", "下回", "改日", "再说");
        yield return G("~call", "打", "打电话", "电话", "打来", "来电", "联系", "拨", "拨打", "回电", "打过来", "打给");
        yield return G("~again", "再", "又", "以后", "老是", "天天", "总是");
        yield return G("~stop", "别", "不要再", "不要打", "不许", "不准", "停止", "甭", "不用再");
        yield return G("!~want", "用不上", "用不着", "用不到", "不需要", "不用", "没需要", "没有需要", "不想要", "不想", "不了");
        yield return G("~remove", "删", "删掉", "删除", "去掉", "移除", "拉黑", "黑名单", "屏蔽", "除名");
        yield return G("~list", "名单", "列表", "号码", "记录");
        yield return G("~complain", "投诉", "举报", "报警", "骚扰", "烦", "烦死", "告你", "12315", "烦人", "有完没完", "没完没了");
        yield return G("~wrong", "错", "错了", "搞错", "弄错");
        yield return G("~misdial", "打错", "拨错", "找错", "打错电话", "错号", "号码错", "按错", "输错", "找错人", "认错人", "搞错人", "弄错人", "错人");
        yield return G("~nobody", "没有这个人", "没这个人", "不认识", "不在", "没这人", "没有这人", "不是他", "不是她", "不是我", "不是本人", "他的电话", "他的号码", "她的电话", "她的号码",
            "不是那个人", "不是这个人", "不是你要找", "不是你找", "不是你说的那个",
            "不姓", "不叫", "换号", "换号码", "换人用", "换了号", "不用这个号", "不用这个号码", "不用这个电话");
        yield return G("~thatperson", "这个人", "那个人", "找的人", "要找的");
        yield return G("~so", "这样", "那样", "这么回事", "那么回事");
        yield return G("~name", "名字", "叫这个", "这个名字", "姓");
        yield return G("~mynumber", "我的号码", "我号码", "我的电话", "我的手机号");
        yield return G("~sounds", "听起来", "听上去", "听着不错");
        yield return G("~who", "谁", "哪位", "哪里", "哪个", "哪家", "什么公司", "干什么的", "做什么的", "干嘛的", "哪儿");
        yield return G("~about", "什么事", "啥事", "有事吗", "干嘛");
        yield return G("~yes", "是", "对", "嗯", "好", "行", "可以", "没错", "没问题", "当然", "确实", "好的", "是的", "对的", "正确", "是这样", "没毛病");
        yield return G("~no", "不", "没", "否", "并不", "没有", "不对", "哪有");
        yield return G("~repeat", "重复", "再说一遍", "再说一次", "再说一下", "再讲", "一遍", "一次", "说什么", "说啥", "讲什么", "说的什么");
        yield return G("~hear", "清楚", "听清", "听到", "听见", "听不", "没听", "听不太清", "听不大清", "没听清", "听不清", "听不见", "没听到", "没听见", "大声", "大点声", "信号不好", "声音", "跟上", "跟不上", "慢点", "慢一点");
        yield return G("~want", "要", "需要", "想要", "用得上", "用上", "用", "想", "打算");
        yield return G("~have", "已经有", "有了", "早就有", "早有", "早就", "已经装", "装了", "买过了", "办过了");
        yield return G("~thanks", "谢谢", "多谢", "感谢");
        // Everyday Mandarin variants, colloquial and standard, one group per concept.
        yield return G("~busy", "正忙", "在忙", "手头有事", "开着车", "上课", "抽不开身", "走不开", "腾不出", "不太方便", "不大方便",
            "不是很方便", "没工夫", "没功夫", "没有空", "没有时间", "在路上", "赶时间", "出差", "带孩子", "顾不上", "忙不过来");
        yield return G("~later", "晚会儿", "过两天", "过几天", "周末", "下个月", "有空再", "有空的时候", "等有空", "忙完", "迟点", "迟些", "过一阵",
            "过段时间", "换个时间", "下礼拜", "礼拜", "星期", "周一", "周二", "周三", "周四", "周五", "周六");
        yield return G("~callback", "回电话", "回个电话", "打回来", "回拨");
        yield return G("~price", "价", "块钱", "几块", "多钱", "要钱", "收钱", "套餐", "月租", "分期", "首付", "性价比", "开销");
        yield return G("~interest", "动心", "想试试");
        yield return G("~more", "发我", "发给我", "发过来", "发一下", "寄", "细说", "细讲", "讲讲看", "说说看", "详情", "怎么用", "怎么操作",
            "有什么好处", "什么内容", "加微信", "短信", "链接");
        yield return G("~good", "靠谱", "实惠", "值得", "蛮好", "好处");
        yield return G("~join", "试用", "体验", "订购", "下单", "入手", "签约");
        yield return G("~stop", "够了", "打住", "不要再联系", "别联系");
        yield return G("~remove", "取消", "注销", "退订", "清除", "划掉");
        yield return G("~complain", "有病", "神经病", "滚", "受不了", "好几次", "多少次", "几次了", "无数次", "工信部", "起诉", "律师", "告你们");
        yield return G("~misdial", "号码不对", "打串", "号码有误", "错的号");
        yield return G("~nobody", "没这号人", "没有这号人", "查无此人", "搬走", "搬家", "搬了", "过世", "去世", "新号码",
            "刚换的号", "刚办的号");
        yield return G("~who", "什么单位", "什么机构", "什么平台");
        yield return G("~company", "公司", "单位", "机构", "平台", "企业");
        yield return G("~yes", "得嘞", "好嘞", "对头", "同意", "愿意", "乐意", "必须的", "没错");
        yield return G("~no", "不行", "不可以", "没有的事", "并没有", "不成");
        yield return G("~repeat", "再来一遍", "再来一次", "重说", "重新说", "你说啥");
        yield return G("~hear", "听不懂", "没懂", "没明白", "不明白", "太小", "小声", "太快", "说慢", "讲慢", "慢些", "慢慢说", "断断续续",
            "杂音", "信号差", "卡了", "噪音");
        yield return G("!~want", "没必要", "不必");
        yield return G("!~want", "算了", "免了");
        yield return G("~have", "有过了", "已经在用", "已经买", "已经办", "家里有", "已有");
        yield return G("~staff", "人工服务", "服务台", "前台", "销售", "老板", "管事的", "售后");
        yield return G("~machine", "人工智能", "智能客服", "语音助手", "自动语音", "电脑", "程序");
        yield return G("~transfer", "叫你们", "叫个", "让你们", "转一下");
        yield return G("~again", "再也", "一直", "每天", "反复", "三番五次", "一次又一次");
        yield return G("~mynumber", "我手机号", "我电话", "我的手机", "我手机", "我的联系方式", "我的信息");

        // An apology opens many answers ("不好意思我在开车"); without its own concept the 不 of
        // 不好意思 and the 对 of 对不起 read as a no and a yes.
        yield return G("~sorry", "不好意思", "对不起", "抱歉");
    }
}
