"""Tables of messages per rule: positives, disguised positives (evasions) and hard
look-alikes that must not be reported. Written for these tests; none comes from an
evaluation corpus."""

from __future__ import annotations

from tests.conftest import broken_id, valid_id

_ID_A = valid_id("11010119900307451")
_ID_B = valid_id("32010219880715343")
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

# (text, channel, rule that must be found)
POSITIVES: list[tuple[str, str, str]] = [
    # R01 classified documents
    ("绝密★长期 这份方案我先拍给你看，别外传", "direct", "R01"),
    ("这是机密★5年的那个通知第3页，我用手机拍了一张", "work_group", "R01"),
    ("秘密★2024年12月31日 关于调整重点区域管控的意见，我打出来给大家", "work_group", "R01"),
    ("机密★会议结束后 请与会同志认真研读，会上收回", "work_group", "R01"),
    ("份号：000128 机密★20年 市防指文件", "direct", "R01"),
    ("把那份秘密文件的第二页扫描一下发我", "direct", "R01"),
    ("手里这份绝密材料我抄了几段：“各单位务必于月底前完成转移”", "direct", "R01"),
    # R01 evasions
    ("機密★二十年 這份請示我敲出來了，你對一下", "direct", "R01"),
    ("秘 密 ★ 1 年 那份我拍了", "direct", "R01"),
    ("ｍｉｍｉ不说了，jimi★10年 的件我截了两页", "direct", "R01"),
    ("绝\u200b密★3年 全文在下面", "work_group", "R01"),
    ("秘密※1年的那个件，我拍了封面", "work_group", "R01"),
    # R02 recordings
    ("[视频] 这是下午涉密会议上的一段，领导讲了分工，你们先看", "work_group", "R02"),
    ("保密会上的讲话我录音了，回头发给没去的同事[语音 45″]", "work_group", "R02"),
    ("[文件] 绝密-专题部署会录音.mp3 下载完请删除", "direct", "R02"),
    # R03 titles / numbers
    ("临委办发〔2023〕8号是秘密件，下周要清退", "work_group", "R03"),
    ("那个机密级的《关于重点物资储备布局调整的通知》你收到没", "direct", "R03"),
    ("《关于加强边境管控的实施意见》（机密★10年）已传达到各乡镇", "publish", "R03"),
    ("县委发[2022]7号（绝密）原件在哪个柜子里", "work_group", "R03"),
    # R03 a classified document's own numbering: 密 in the number or closing the issuer's code
    ("清退目录第二项是区委发〔2023〕密12号，今天下班前交回", "work_group", "R03"),
    ("你查一下市政府密发〔2025〕4号讲的是哪几个点位", "direct", "R03"),
    ("县委办〔2024〕密字第3号 原件我放你桌上了", "work_group", "R03"),
    ("县 委 发 〔 2 0 2 4 〕 密 6 号 的原件在我这，你要看就过来", "direct", "R03"),
    # R02 a closed meeting named by how it was held
    ("那次不做记录的会我偷偷录了音，回头传你", "direct", "R02"),
    # R04 classified matters
    ("这次的涉密项目在东山那边，下个月进场，跟谁都别说", "work_group", "R04"),
    ("传达的涉密事项大家记住：储备库要建在北坡，年底动工", "work_group", "R04"),
    ("开完保密会了，讲的是新机场选址调整，具体的不能多说", "moments", "R04"),
    ("密件里说的就是两个县合并的事，估计下半年宣布", "direct", "R04"),
    # R05 drafts
    ("机构改革方案的讨论稿发你了，还没上常委会，先别给其他科室", "direct", "R05"),
    ("征求意见稿里写的补贴标准是每户3000，还在改，不要外传", "work_group", "R05"),
    ("局里的干部轮岗办法初稿出来了，还没定，我们科可能要动", "moments", "R05"),
    ("《城区停车收费调整方案（送审稿）》全文如下，请大家提意见", "publish", "R05"),
    # R06 internal documents
    ("【内部资料 严禁外传】今年重点检查企业名单如下", "external_group", "R06"),
    ("内部★ 关于近期信访情况的通报，请各单位注意保存", "work_group", "R06"),
    ("此件不公开：各街道征地进度排名", "work_group", "R06"),
    ("把领导在群里布置任务的截图发我一下", "direct", "R06"),
    ("【领导批示】王书记批示：“请住建局三天内拿出整改方案”", "work_group", "R06"),
    # R07 key places
    ("[图片] 机要室新装的文件柜，挺气派", "moments", "R07"),
    ("给你们看看我们的涉密机房[视频]，全是服务器", "external_group", "R07"),
    ("这台涉密电脑开不了机了，我拍了个照片你看看", "direct", "R07"),
    ("[图片] 保秘室的门锁坏了，找人来修", "work_group", "R07"),
    # R08 unpublished emergencies
    ("刚接到通知，开发区一家厂子爆炸，2人死亡，还没通报，先别往外说", "work_group", "R08"),
    ("跟你们说，我们镇今天确诊了3例，还没公布，少出门", "external_group", "R08"),
    ("县里还没对外发布：水库出现管涌，下游两个村今晚转移", "direct", "R08"),
    # R09 leaders' itineraries
    ("明天下午三点市委书记到我们园区调研，大家提前到位", "work_group", "R09"),
    ("县长下周一去省里开会，周三回来，车辆你来安排", "direct", "R09"),
    ("李书记后天上午9点的高铁去北京，酒店订好了吗", "direct", "R09"),
    ("[视频] 今天陪同副省长检查防汛，一路跑了三个县", "moments", "R09"),
    ("跟你说一声，上头那位后天上午九点到我们厂，先看车间再开座谈会", "direct", "R09"),
    ("一号人物周四下午要来开发区，两点半到，你们那条路先别施工", "external_group", "R09"),
    ("省领导一行下周来我县，行程安排表发群里了", "work_group", "R09"),
    # R10 internal work information outside
    ("我们局今天开会定了，下个月开始每个科室都要轮流下乡驻村", "external_group", "R10"),
    ("单位昨天通报了两个违规报销的同事，都被处分了", "moments", "R10"),
    ("我们街道下周开始集中整治占道经营，摆摊的亲戚早点收", "external_group", "R10"),
    # P01 personal data
    (f"排查对象：周海涛 {_ID_A} 住滨河小区3栋", "work_group", "P01"),
    ("今天来看病的那个刘桂英，68岁，肺癌晚期，住在东门社区，挺可怜的", "moments", "P01"),
    (f"帮我查一下这个人 {_ID_B} 是不是在名单上", "direct", "P01"),
    (f"核查一下：{_ID_B[:6]} {_ID_B[6:14]} {_ID_B[14:]}，看看有没有前科", "direct", "P01"),
    (
        f"窗口来办事的人身份证号{_ID_A.translate(_FULL_WIDTH)}，材料不全",
        "moments",
        "P01",
    ),
    ("我们收治的病人吴国强，确诊了，家住红旗村5组，电话13912345678", "external_group", "P01"),
    # F01 hearsay
    ("听说化工厂泄漏了，好几个人中毒送医院了，千真万确", "external_group", "F01"),
    ("据说明天全城封控，超市要关门，赶紧转发扩散", "moments", "F01"),
    ("网传二中食物中毒，几十个学生住院了", "work_group", "F01"),
]

# (text, channel, rules that must NOT be reported) — look-alikes
LOOK_ALIKES: list[tuple[str, str]] = [
    # a secrecy office's own (public) numbers and a 秘书 office's code are not classified numbers
    ("转发市保密委发〔2024〕2号《关于开展保密自查的通知》，请各科室对照落实", "work_group"),
    ("国办秘函〔2023〕11号已在政府网站公开，大家可以下载学习", "external_group"),
    ("县 政 府 办 〔 2 0 2 4 〕 6 号 已 在 网 站 公 开 ， 大 家 可 以 看", "external_group"),
    ("这部剧的一号人物演得太好了，明晚八点大结局", "moments"),
    ("我们公司的核心技术属于商业机密，签了保密协议", "external_group"),
    ("给你说个小秘密，我怀孕啦，先别告诉别人", "external_group"),
    ("周末去看了《绝密543》这部纪录片，太震撼了", "moments"),
    ("这游戏的机密任务我打了三遍才过", "external_group"),
    ("保守国家秘密是每个公民的义务 #全民国家安全教育日", "moments"),
    ("请各科室周五前提交年度保密自查表", "work_group"),
    ("下午两点在三楼开保密工作会议，请准时参加", "work_group"),
    ("保密室的灯坏了，明天找电工来修", "work_group"),
    ("机要室通知：请到机要室领取本月文件", "work_group"),
    ("据市应急管理局官方通报，昨晚的火灾已扑灭，无人员伤亡", "external_group"),
    ("【县疾控中心发布】我县新增确诊病例1例，详见官方公众号", "external_group"),
    ("听说下个月要发高温补贴了，真的假的", "work_group"),
    ("据说今年冬天特别冷，大家多备点衣服", "external_group"),
    ("我妈住院了，在市医院心内科，明天下午去看她", "external_group"),
    ("我的电话是13987654321，到了打给我", "external_group"),
    ("新手机号15811112222，大家存一下", "moments"),
    (f"快递单号{valid_id('42010619850712341')}查不到物流了", "direct"),
    (f"订单号{broken_id('23041519920812337')}，预计周三到货", "work_group"),
    (f"我的身份证号{_ID_A}，帮我填一下表", "direct"),
    ("论文初稿终于写完了，导师说还要大改", "moments"),
    ("我写的小说草稿，主角是个秘密特工", "external_group"),
    ("《关于加强城市绿化管理的通知》（绿政发〔2024〕6号）已在政府网站公开", "external_group"),
    ("转发：市政府官网公开征求《物业管理条例（草案）》意见，欢迎大家提建议", "external_group"),
    ("据临江日报报道，市长昨天到开发区调研，详细了解企业生产情况", "moments"),
    ("看新闻才知道，省长上周来过我们村", "external_group"),
    ("我爸明天去上海出差，我送他去机场", "external_group"),
    ("电视剧里那个书记明天要去视察，演得真好", "moments"),
    ("单位组织去敬老院做志愿服务，好有意义", "moments"),
    ("今天参加了单位的消防培训，学会了用灭火器", "moments"),
    ("明天上午全县开展地震应急演练，听到警报不要慌", "external_group"),
    ("内部员工福利，会员卡打八折", "moments"),
    ("个人意见仅供参考，不构成任何建议", "direct"),
    ("今天天气真好，带孩子去公园放风筝", "moments"),
    ("这家店的秘方绝不外传，味道一绝", "moments"),
    ("保密宣传：涉密文件严禁拍照上传，不得在微信群中谈论涉密事项", "publish"),
    ("公司年会定在腊月二十，大家准备节目", "external_group"),
    ("小区停水通知：明天上午9点到下午5点停水", "external_group"),
]
