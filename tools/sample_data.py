"""Generate the seeded sample submissions under raw/2022/ that reproduce Xihu district's 2022 report,
and raw/program.yaml, which names the programme (the report's title and wording use the name).

Usage: uv run python -m tools.sample_data [--out raw]
"""

import argparse
import csv
import datetime as dt
import io
import random
import zipfile
from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

SEED = 20221227
YEAR = 2022
FIRST_FRIDAY = dt.date(2022, 1, 7)
FIRST_WORKING_DAY = dt.date(2022, 1, 4)  # 1-3 January 2022 was the New Year holiday
FIXED_STAMP = dt.datetime(2022, 12, 23, 17, 0, 0)
DYNAMICS_TOTAL = 173
DATE_STYLES = ("iso", "slash", "dot", "cn")
PROGRAM_YAML = """\
# The sample's programme: Xihu district's, as the reference report names it. The other keys
# (areas, reform_areas, media_levels) keep the default vocabulary, which is the reference's.
name: 西湖区高质量发展建设共同富裕示范区
"""

AREAS = ("经济高质量发展", "收入分配", "区域协调发展", "公共服务优质共享", "社会文化", "生态文明建设", "社会治理")
AREA_WEIGHTS = (3, 2, 2, 4, 2, 2, 3)
TOWNS_AND_STREETS = (
    "北山街道", "西溪街道", "灵隐街道", "翠苑街道", "文新街道", "古荡街道",
    "西湖街道", "留下街道", "转塘街道", "蒋村街道", "双浦镇", "三墩镇",
)
# (topic, lead unit) per work area; a topic led by a town or street is reported by that place only
TOPICS = {
    "经济高质量发展": (
        ("高校经济“三百”行动", "区发改经信局"), ("“一链一院一基地”发展模式", "区科技局"),
        ("楼宇经济提质增效", "区商务局"), ("文三数字生活街区建设", "区商务局"),
        ("“老楼宇、老商圈”改造提升", "区住建局"), ("数字经济“一号工程”", "区发改经信局"),
        ("重大产业项目招引", "区投资促进局"), ("“个转企、小升规”培育", "区市场监管局"),
        ("紫金港科技城创新策源地建设", "三墩镇"), ("云栖小镇数字经济产业集群建设", "转塘街道"),
    ),
    "收入分配": (
        ("大学生创业创新“启明星”计划", "区人力社保局"), ("“西湖无欠薪”行动", "区人力社保局"),
        ("技能人才培育", "区总工会"), ("新就业形态劳动者权益保障", "区总工会"),
        ("城乡居民医保参保扩面", "区医保分局"), ("低收入农户增收", "区农业农村局"),
        ("“五助工程”", "区农业农村局"), ("退役军人就业创业服务", "区退役军人事务局"),
    ),
    "区域协调发展": (
        ("美丽茶乡共富党建联盟建设", "区委组织部"), ("西湖-淳安山海协作", "区发改经信局"),
        ("东西部协作“白茶一号”工程", "区发改经信局"), ("山海协作“飞地”项目", "区投资促进局"),
        ("未来乡村建设", "区农业农村局"), ("结对帮扶", "区委组织部"),
        ("龙坞茶镇建设", "转塘街道"), ("双浦地区发展专项研究", "双浦镇"),
    ),
    "公共服务优质共享": (
        ("“15分钟品质文化生活圈”建设", "区文旅体局"), ("全生命周期健康服务体系建设", "区卫健局"),
        ("“幼有优育”婴幼儿照护服务", "区卫健局"), ("养老服务体系建设", "区民政局"),
        ("“一键养老”应用场景", "区民政局"), ("新时代社会救助体系建设", "区民政局"),
        ("“西湖善粮公社”", "区民政局"), ("幸福西湖民生综合体建设", "区委社建委"),
        ("城乡教育优质均衡发展", "区教育局"), ("“你好，青春期”应用场景", "区教育局"),
        ("医保便民服务", "区医保分局"), ("残疾人托养服务", "区残联"),
    ),
    "社会文化": (
        ("公共文化服务现代化建设", "区文旅体局"), ("“共富迎亚运”城市文明行动", "区文旅体局"),
        ("“石榴籽家园”服务体系", "区委统战部"), ("“石榴籽驿站”建设", "区委统战部"),
        ("新时代文明实践", "区委宣传部"), ("全国文明村创建", "区委宣传部"),
        ("“文明大脑”应用", "区委宣传部"), ("“救在身边·志愿同行”", "区红十字会"),
    ),
    "生态文明建设": (
        ("“6+1”领域碳达峰", "区发改经信局"), ("城乡风貌整治提升", "区住建局"),
        ("紫金港科技城低碳园区建设", "区生态环境分局"), ("西湖龙井茶智慧生态茶园建设", "区农业农村局"),
        ("生活垃圾分类", "区城管局"), ("美丽河湖建设", "区林水局"),
        ("“五水共治”", "区林水局"), ("全域土地综合整治", "双浦镇"),
    ),
    "社会治理": (
        ("“小脑+手脚”基层整体智治", "区委政法委"), ("“141”体系迭代升级", "区委政法委"),
        ("网格精细化管理", "区委政法委"), ("“民呼我为”一体化智治", "区数据资源局"),
        ("“民呼我为·西湖码”应用", "区数据资源局"), ("矛盾纠纷多元化解", "区司法局"),
        ("电子居住证改革", "区公安分局"), ("信访积案化解", "区信访局"),
    ),
}
TITLE_TEMPLATES = (
    "{unit}召开{topic}推进会", "{unit}扎实推进{topic}", "{unit}{topic}取得阶段性成效",
    "{unit}部署{topic}重点任务", "{unit}举办{topic}专题培训", "{unit}持续深化{topic}",
    "{unit}召开{topic}工作座谈会", "{unit}以{topic}助力共同富裕", "{unit}{topic}工作获上级肯定",
    "{unit}总结推广{topic}经验", "{unit}开展{topic}专项调研", "{unit}{topic}再添新成果",
)
ACTIONS = (
    "细化任务清单，明确责任分工和时间节点", "组织相关单位座谈交流，梳理问题清单", "形成可复制可推广的经验做法",
    "推动各项举措落地见效", "建立月度跟踪机制，定期通报进展", "邀请专家指导，优化工作方案",
    "联合镇街、社区共同推进", "开展实地走访，听取群众意见建议", "完成阶段性目标任务",
)
# (unit, area, title) of the information pieces written up from the dynamics, in publication order
INFO_PIECES = (
    ("区卫健局", "公共服务优质共享", "《“三强三制三提”聚力打造婴幼儿照护服务共同体》"),
    ("区民政局", "公共服务优质共享", "《“一键养老”打造未来社区智慧养老标准化模板》"),
    ("区委社建委", "公共服务优质共享", "《西湖区建成启用38个幸福西湖民生综合体》"),
    ("区教育局", "公共服务优质共享", "《城乡教育高质量优质均衡发展的“西湖模式”》"),
    ("区商务局", "经济高质量发展", "《“老楼宇、老商圈”改造提升焕发楼宇经济新活力》"),
    ("区发改经信局", "经济高质量发展", "《高校经济“三百”行动激活校地合作新动能》"),
    ("区人力社保局", "收入分配", "《青年双创“启明星”计划打造人才双创有力载体》"),
    ("区农业农村局", "收入分配", "《骆家庄“五助工程”探索收入分配新路径》"),
    ("转塘街道", "区域协调发展", "《美丽茶乡共富党建联盟“8项机制、4张清单”促共富》"),
    ("区发改经信局", "区域协调发展", "《西湖-淳安山海协作“飞地”项目跑出加速度》"),
    ("区委统战部", "社会文化", "《“石榴籽家园”迭代升级筑牢民族团结之基》"),
    ("双浦镇", "生态文明建设", "《双浦镇“3+X”模式推进全域整治2.0版》"),
    ("区委政法委", "社会治理", "《“小脑+手脚”构建基层整体智治体系》"),
    ("区数据资源局", "社会治理", "《“民呼我为·西湖码”打造一体化智治新模式》"),
)

HEADER_REPORTED = ("报送日期", "报送单位", "领域", "标题", "类别", "摘要")
HEADER_DATE = ("日期", "报送单位", "领域", "标题", "类别", "摘要")
HEADER_ENGLISH = ("date", "unit", "area", "title", "kind", "summary")
HEADER_NO_KIND = ("日期", "报送单位", "领域", "标题", "摘要")
HEADER_REORDERED = ("报送单位", "日期", "标题", "领域", "类别", "摘要")
HEADER_REMARK = (*HEADER_REPORTED, "备注")
FIELD_OF = {
    "报送日期": "date", "日期": "date", "报送单位": "unit", "领域": "area", "标题": "title",
    "类别": "kind", "摘要": "summary", "备注": "remark",
    **{name: name for name in HEADER_ENGLISH},
}
# (format, header, date style) of each fortnightly batch, handed in every other Friday from 7 January
BATCH_LAYOUTS = (
    ("utf-8", HEADER_REPORTED, "iso"), ("utf-8", HEADER_NO_KIND, "slash"),
    ("utf-8-sig", HEADER_REPORTED, "cn"), ("utf-8", HEADER_DATE, "dot"),
    ("xlsx", HEADER_REPORTED, None), ("utf-8", HEADER_REPORTED, "iso"),
    ("utf-8", HEADER_DATE, "cn"), ("gb18030", HEADER_REPORTED, "slash"),
    ("utf-8", HEADER_REPORTED, "dot"), ("utf-8-sig", HEADER_DATE, "iso"),
    ("xlsx", HEADER_DATE, None), ("utf-8", HEADER_REPORTED, "cn"),
    ("utf-8", HEADER_DATE, "slash"), ("utf-8", HEADER_ENGLISH, "iso"),
    ("xlsx", HEADER_REPORTED, None), ("utf-8", HEADER_REPORTED, "dot"),
    ("utf-8-sig", HEADER_REPORTED, "cn"), ("utf-8", HEADER_REORDERED, "iso"),
    ("utf-8", HEADER_REPORTED, "slash"), ("xlsx", HEADER_REPORTED, None),
    ("utf-8", HEADER_REMARK, "mixed"), ("utf-8", HEADER_DATE, "dot"),
    ("utf-8-sig", HEADER_REPORTED, "iso"), ("utf-8", HEADER_DATE, "cn"),
    ("xlsx", HEADER_DATE, None), ("utf-8", HEADER_REPORTED, "slash"),
)
NO_KIND_BATCHES = {i for i, layout in enumerate(BATCH_LAYOUTS) if "类别" not in layout[1] and "kind" not in layout[1]}
RESUBMITTED_BATCH = 11  # 2022-06-10: five of its rows come in again as an .xlsx
RESUBMITTED_ROWS = 5

MEDIA_LEVELS = ("中央", "省级", "市级", "区级")
MEDIA_TOTALS = (38, 106, 196, 272)  # 612 articles; district and city outlets carry most of them
OUTLETS = {
    "中央": ("人民日报", "新华社", "央视新闻", "光明日报", "中国青年报", "经济日报"),
    "省级": ("浙江日报", "浙江新闻客户端", "浙江卫视", "钱江晚报", "浙江之声"),
    "市级": ("杭州日报", "杭州网", "都市快报", "杭州电视台", "每日商报"),
    "区级": ("西湖发布", "西湖报", "美丽西湖", "西湖区融媒体中心"),
}
ANNIVERSARY_WEEKS = (dt.date(2022, 6, 6), dt.date(2022, 6, 24))  # first anniversary of the demonstration zone
CONGRESS_WEEKS = (dt.date(2022, 9, 5), dt.date(2022, 10, 21))  # 喜迎二十大: central media visit Xihu
ASIAN_GAMES_WEEKS = (dt.date(2022, 7, 1), dt.date(2022, 9, 2))
DISTRICT_COLUMN_START = dt.date(2022, 3, 1)  # the 首善之区 column opens in the district papers
MEDIA_HEADER = ("日期", "媒体", "级别", "稿件数", "专题")
MEDIA_HEADER_ENGLISH = ("date", "outlet", "level", "count", "theme")
# (format, header, date style) of each monthly media file, January to December
MEDIA_LAYOUTS = (
    ("utf-8", MEDIA_HEADER, "iso"), ("utf-8", MEDIA_HEADER, "slash"), ("utf-8-sig", MEDIA_HEADER, "cn"),
    ("utf-8", MEDIA_HEADER, "dot"), ("utf-8", MEDIA_HEADER_ENGLISH, "iso"), ("xlsx", MEDIA_HEADER, None),
    ("utf-8", MEDIA_HEADER, "slash"), ("utf-8-sig", MEDIA_HEADER, "iso"), ("utf-8", MEDIA_HEADER, "cn"),
    ("utf-8", MEDIA_HEADER, "iso"), ("utf-8", MEDIA_HEADER, "slash"), ("xlsx", MEDIA_HEADER, None),
)
MEDIA_REPEAT_MONTH = 10  # October's file starts by resubmitting September's last row

MEETINGS = (
    ("2022-01-26", "区共同富裕领导小组2022年第一次会议", "领导小组会议"),
    ("2022-03-24", "区社会建设专题例会（一季度）", "专题例会"),
    ("2022-05-26", "区社会建设专题例会（5月）", "专题例会"),
    ("2022-07-21", "区共同富裕领导小组2022年第二次会议", "领导小组会议"),
    ("2022-08-25", "区社会建设专题例会（8月）", "专题例会"),
    ("2022-10-27", "区社会建设专题例会（10月）", "专题例会"),
    ("2022-12-22", "区共同富裕领导小组2022年第三次会议", "领导小组会议"),
)

KEY_TASKS = {  # area -> (name, lead unit): 64 key tasks over the seven work areas
    "经济高质量发展": (
        ("实施高校经济“三百”行动", "区发改经信局"), ("打造“一链一院一基地”发展新模式", "区科技局"),
        ("推动楼宇经济提质增效", "区商务局"), ("打造文三数字生活街区", "区商务局"),
        ("实施“老楼宇、老商圈”改造提升", "区住建局"), ("推进数字经济“一号工程”升级版", "区发改经信局"),
        ("推进科技企业“双倍增”行动", "区科技局"), ("培育专精特新“小巨人”企业", "区发改经信局"),
        ("推进紫金港科技城创新策源地建设", "三墩镇"), ("建设云栖小镇数字经济产业集群", "转塘街道"),
    ),
    "收入分配": (
        ("构建人性化多元化的社会保障体系", "区人力社保局"), ("实施大学生创业创新“启明星”计划", "区人力社保局"),
        ("开展“西湖无欠薪”行动", "区人力社保局"), ("实施技能人才“金蓝领”培育工程", "区总工会"),
        ("推进灵活就业人员社保扩面", "区人力社保局"), ("实施低收入农户增收行动", "区农业农村局"),
        ("推进村级集体经济提质增收", "区农业农村局"), ("维护新就业形态劳动者权益", "区总工会"),
    ),
    "区域协调发展": (
        ("推进美丽茶乡共富党建联盟建设", "区委组织部"), ("打造“未来乡村·盛飨茶香”党建联盟示范点", "转塘街道"),
        ("打造最美小镇龙坞茶镇", "转塘街道"), ("推进东西部协作“白茶一号”工程", "区发改经信局"),
        ("深化西湖-淳安山海协作", "区发改经信局"), ("开展双浦地区发展专项研究", "双浦镇"),
        ("推进未来乡村示范创建", "区农业农村局"), ("深化对口支援和结对帮扶", "区发改经信局"),
    ),
    "公共服务优质共享": (
        ("建成“15分钟品质文化生活圈”50个", "区文旅体局"), ("打造全生命周期健康服务体系", "区卫健局"),
        ("建立健全养老服务体系", "区民政局"), ("健全新时代社会救助体系", "区民政局"),
        ("打造“幼有优育”婴幼儿照护服务模式", "区卫健局"), ("推广“一键养老”应用场景", "区民政局"),
        ("建成启用38个幸福西湖民生综合体", "区委社建委"), ("推进城乡教育高质量优质均衡发展", "区教育局"),
        ("推进“西湖善粮公社”建设", "区民政局"), ("扩大普惠性学前教育资源供给", "区教育局"),
        ("推进医共体建设提升基层医疗服务能力", "区卫健局"), ("实施住房保障提标扩面", "区住建局"),
        ("提升残疾人基本公共服务水平", "区残联"), ("推进“一老一小”服务体系建设", "区委社建委"),
    ),
    "社会文化": (
        ("推进公共文化服务现代化建设", "区文旅体局"), ("迭代升级“石榴籽家园”服务体系", "区委统战部"),
        ("建设“石榴籽驿站”", "区委统战部"), ("深化新时代文明实践中心建设", "区委宣传部"),
        ("推进全国文明村镇创建", "区委宣传部"), ("开展“共富迎亚运”城市文明行动", "区文旅体局"),
        ("推进农村文化礼堂提质增效", "区委宣传部"), ("推进宋韵文化传承展示", "区文旅体局"),
    ),
    "生态文明建设": (
        ("编制“6+1”领域碳达峰方案", "区发改经信局"), ("实施城乡风貌整治提升行动", "区住建局"),
        ("建设紫金港科技城低碳园区", "区生态环境分局"), ("推进双浦全域土地综合整治", "双浦镇"),
        ("建设西湖龙井茶智慧生态茶园", "区农业农村局"), ("深化生活垃圾分类", "区城管局"),
        ("推进美丽河湖建设", "区林水局"), ("打好污染防治攻坚战", "区生态环境分局"),
    ),
    "社会治理": (
        ("“小脑+手脚”构建基层整体智治体系", "区委政法委"), ("迭代升级“141”体系", "区委政法委"),
        ("打造“民呼我为”一体化智治模式", "区数据资源局"), ("推广“民呼我为·西湖码”应用", "区数据资源局"),
        ("深化矛盾纠纷多元化解", "区司法局"), ("推进网格精细化管理", "区委政法委"),
        ("推进电子居住证改革", "区公安分局"), ("推进西湖“一键办”改革", "区数据资源局"),
    ),
}
REFORMS = {  # reform area -> (name, lead unit): 44 major reforms over the six reform areas
    "扩中提低": (
        ("推广骆家庄股份经济合作社“五助工程”", "区农业农村局"), ("建设崇军指数综合评价系统", "区退役军人事务局"),
        ("制定“扩中提低”专项方案", "区发改经信局"), ("推进技术工人收入提升改革", "区人力社保局"),
        ("推进青年人才安居保障改革", "区住建局"), ("推进低收入群体帮扶“一件事”集成改革", "区民政局"),
        ("拓宽农民财产性收入渠道", "区农业农村局"), ("推进欠薪治理数字化改革", "区人力社保局"),
    ),
    "缩小地区差距": (
        ("建设西湖-淳安山海协作生态旅游文化产业园", "区发改经信局"),
        ("推进西湖-淳安智谷山海协作“飞地”", "区发改经信局"),
        ("推进西湖-淳安智邦山海协作“飞地”", "区投资促进局"), ("完善东西部协作消费帮扶机制", "区商务局"),
        ("建立结对县区产业合作机制", "区发改经信局"), ("建立山海协作人才交流机制", "区委组织部"),
    ),
    "缩小城乡差距": (
        ("迭代升级西湖龙井茶全生命周期数字化应用", "区农业农村局"), ("实施“3+X”模式的双浦镇全域整治2.0版", "双浦镇"),
        ("做优西湖龙井地理标志富农", "区市场监管局"), ("稳慎推进农村宅基地制度改革", "区农业农村局"),
        ("推进强村公司发展改革", "区农业农村局"), ("推进城乡公交一体化改革", "区住建局"),
        ("探索农村集体经营性建设用地入市", "区规资分局"), ("推进龙坞茶村数字化共富改革", "转塘街道"),
    ),
    "公共服务优质共享": (
        ("打造“你好，青春期”应用场景", "区教育局"), ("结对15所淳安学校开展师徒结对", "区教育局"),
        ("深化新时代教育评价改革", "区教育局"), ("推进婴幼儿照护服务“三强三制三提”改革", "区卫健局"),
        ("推进“一键养老”智慧养老改革", "区民政局"), ("深化医保支付方式改革", "区医保分局"),
        ("推进“西湖善粮公社”慈善救助改革", "区民政局"), ("推进家门口医疗服务改革", "区卫健局"),
        ("深化集团化办学改革", "区教育局"),
    ),
    "精神生活共同富裕": (
        ("推广“救在身边·志愿同行”场景应用", "区红十字会"), ("连通“文明大脑”与“西湖码”“文明帮帮码”", "区委宣传部"),
        ("推进新时代文明实践积分制改革", "区委宣传部"), ("打造公共文化服务“一键通”", "区文旅体局"),
        ("建设全民阅读“书香西湖”", "区文旅体局"), ("建设民族团结“石榴籽”数字化平台", "区委统战部"),
        ("推行志愿服务“时间银行”", "团区委"),
    ),
    "共同富裕基本单元改革": (
        ("出台《关于加快未来乡村建设的若干意见》", "区农业农村局"), ("建设三墩镇吉鸿未来社区", "三墩镇"),
        ("打造未来社区“一老一小”场景", "区住建局"), ("打造转塘街道未来乡村示范带", "转塘街道"),
        ("组建双浦镇未来乡村共富联合体", "双浦镇"), ("推进城镇社区公共服务集成落地", "区民政局"),
    ),
}
TASKS_HEADER = ("编号", "类型", "领域", "名称", "牵头单位", "状态")
TASKS_IN_PROGRESS = 16
TASKS_NOT_STARTED = 2

ACHIEVEMENTS_HEADER = ("日期", "名称", "类型", "级别", "单位", "领域")
ACHIEVEMENTS = (  # 领域 holds the four strategies the report groups its landmark results by
    ("2022-06-15", "“幼有优育”婴幼儿照护服务模式", "标志性成果", "区级", "区卫健局", "高质发展高品质生活"),
    ("2022-08-18", "“一键养老”应用场景成为全省未来社区“智慧养老”标准化模板",
     "标志性成果", "省级", "区民政局", "高质发展高品质生活"),
    ("2022-11-30", "建成并启用38个幸福西湖民生综合体", "标志性成果", "区级", "区委社建委", "高质发展高品质生活"),
    ("2022-09-21", "城乡教育高质量优质均衡发展的“西湖模式”", "标志性成果", "省级", "区教育局", "高质发展高品质生活"),
    ("2022-10-12", "“老楼宇、老商圈”改造提升焕发楼宇经济活力", "标志性成果", "区级", "区商务局", "高质发展高品质生活"),
    ("2022-07-20", "最美小镇——龙坞茶镇", "标志性成果", "省级", "转塘街道", "城乡区域协调发展"),
    ("2022-05-18", "“白茶一号”工程东西部协作项目", "标志性成果", "省级", "区发改经信局", "城乡区域协调发展"),
    ("2022-04-20", "青年双创“启明星”计划", "标志性成果", "区级", "区人力社保局", "收入分配制度改革"),
    ("2022-06-29", "西湖龙井茶智慧生态茶园数字化管理体系", "标志性成果", "市级", "区农业农村局", "收入分配制度改革"),
    ("2022-08-31", "“民呼我为·西湖码”数字化改革“最佳应用”", "标志性成果", "省级", "区数据资源局", "文明和谐美丽家园"),
    ("2022-03-10", "双浦全域土地综合整治", "试点", "国家级", "双浦镇", "收入分配制度改革"),
    ("2022-07-08", "“你好，青春期”", "试点", "市级", "区教育局", "高质发展高品质生活"),
    ("2022-09-09", "紫金港科技城低碳园区", "试点", "市级", "区生态环境分局", "文明和谐美丽家园"),
    ("2022-05-25", "崇军指数综合评价系统", "试点", "市级", "区退役军人事务局", "收入分配制度改革"),
    ("2022-10-20", "幸福西湖民生综合体镇街全覆盖", "试点", "区级", "区委社建委", "高质发展高品质生活"),
    ("2022-08-10", "“西湖善粮公社”", "最佳实践", "市级", "区民政局", "收入分配制度改革"),
    ("2022-06-08", "“扩中提低”改革", "课题", "市级", "区发改经信局", "收入分配制度改革"),
    ("2022-06-08", "电子居住证改革", "课题", "市级", "区公安分局", "文明和谐美丽家园"),
    ("2022-06-08", "西湖“一键办”", "课题", "市级", "区数据资源局", "高质发展高品质生活"),
    ("2022-11-16", "外桐坞村获评全国文明村", "荣誉", "国家级", "转塘街道", "文明和谐美丽家园"),
    ("2022-11-16", "上城埭村获评全国文明村", "荣誉", "国家级", "双浦镇", "文明和谐美丽家园"),
    ("2022-09-28", "“民呼我为·西湖码”获省改革突破银奖", "荣誉", "省级", "区数据资源局", "文明和谐美丽家园"),
    ("2022-04-28", "“未来乡村·盛飨茶香”党建联盟获评杭州市首批乡村共富党建联盟示范点",
     "荣誉", "市级", "转塘街道", "城乡区域协调发展"),
    ("2022-12-06", "三墩镇吉鸿未来社区入选全省首批未来社区", "荣誉", "省级", "三墩镇", "高质发展高品质生活"),
)

Row = dict[str, object]
Layout = tuple[str, tuple[str, ...], str | None]


class FixedTimeZip(zipfile.ZipFile):
    """A zip archive that stamps every member with FIXED_STAMP."""

    # openpyxl stamps members with the clock; a fixed stamp keeps reruns byte-identical
    def writestr(self, zinfo_or_arcname: str | zipfile.ZipInfo, data: str | bytes,
                 compress_type: int | None = None, compresslevel: int | None = None) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = zipfile.ZipInfo(zinfo_or_arcname, date_time=FIXED_STAMP.timetuple()[:6])
            zinfo_or_arcname.compress_type = zipfile.ZIP_DEFLATED
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel)

    # worksheets arrive as temporary files, whose mtime would leak into the archive
    def write(self, filename: str, arcname: str | None = None,
              compress_type: int | None = None, compresslevel: int | None = None) -> None:
        self.writestr(arcname or Path(filename).name, Path(filename).read_bytes(), compress_type, compresslevel)


def format_date(day: dt.date, style: str) -> str:
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    if style == "dot":
        return f"{day.year}.{day.month}.{day.day}"
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def write_csv(path: Path, header: tuple[str, ...], rows: list[list[object]], encoding: str) -> None:
    # Excel on Windows ends lines with CRLF; plain UTF-8 files come from scripts and use LF
    newline = "\n" if encoding == "utf-8" else "\r\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def write_xlsx(path: Path, sheet: str, header: tuple[str, ...], rows: list[list[object]]) -> None:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(list(header))
    for row in rows:
        worksheet.append([None if value == "" else value for value in row])
        for cell in worksheet[worksheet.max_row]:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy/m/d"
    workbook.properties.creator = "西湖区委社建委"
    workbook.properties.created = workbook.properties.modified = FIXED_STAMP
    with FixedTimeZip(path, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()


def write_table(path: Path, sheet: str, layout: Layout, fields: list[tuple[object, ...]]) -> None:
    """Write rows (already in header order) as .csv or .xlsx, rendering dates in the layout's style."""
    fmt, header, style = layout
    if fmt == "xlsx":
        write_xlsx(path.with_suffix(".xlsx"), sheet, header, [list(row) for row in fields])
        return
    rendered = []
    for index, row in enumerate(fields):
        # a hand-kept sheet mixes date spellings row by row
        row_style = DATE_STYLES[index % len(DATE_STYLES)] if style == "mixed" else style
        rendered.append([format_date(v, row_style) if isinstance(v, dt.date) else v for v in row])
    write_csv(path.with_suffix(".csv"), header, rendered, fmt)


def item_date(batch_day: dt.date, rng: random.Random) -> dt.date:
    # items are collected weekly and handed in every other Friday: any working day of the fortnight
    days = [batch_day - dt.timedelta(days=back) for back in range(12)]
    return rng.choice([day for day in days if day.weekday() < 5 and day >= FIRST_WORKING_DAY])


def compose_dynamic(rng: random.Random, used_titles: set[str], day: dt.date) -> Row:
    area = rng.choices(AREAS, weights=AREA_WEIGHTS)[0]
    while True:
        topic, lead = rng.choice(TOPICS[area])
        local = lead in TOWNS_AND_STREETS or rng.random() < 0.55
        unit = lead if local else rng.choice(TOWNS_AND_STREETS)
        title = rng.choice(TITLE_TEMPLATES).format(unit=unit, topic=topic)
        if title not in used_titles:
            break
    used_titles.add(title)
    summary = f"{unit}围绕{topic}，{rng.choice(ACTIONS)}。"
    return {"date": day, "unit": unit, "area": area, "title": title, "kind": "动态", "summary": summary, "remark": ""}


def info_row(piece: tuple[str, str, str], day: dt.date, first: bool) -> Row:
    unit, area, title = piece
    journal = "在《杭向共富》刊发" if first else "报送《浙里共富》《杭向共富》"
    return {"date": day, "unit": unit, "area": area, "title": title, "kind": "信息",
            "summary": f"编写共富特色信息，{journal}。", "remark": ""}


def build_batches(rng: random.Random) -> list[tuple[dt.date, list[Row]]]:
    batch_days = [FIRST_FRIDAY + dt.timedelta(days=14 * i) for i in range(len(BATCH_LAYOUTS))]
    base, extra = divmod(DYNAMICS_TOTAL, len(batch_days))
    bigger = set(rng.sample(range(len(batch_days)), extra))
    # information pieces are written up from earlier dynamics, and a file without 类别 cannot carry one
    candidates = [i for i in range(2, len(batch_days)) if i not in NO_KIND_BATCHES]
    info_slots = sorted(rng.sample(candidates, len(INFO_PIECES)))
    info_of = dict(zip(info_slots, INFO_PIECES, strict=True))
    used_titles: set[str] = set()
    batches = []
    for index, day in enumerate(batch_days):
        rows = [compose_dynamic(rng, used_titles, item_date(day, rng)) for _ in range(base + (index in bigger))]
        if index in info_of:
            rows.append(info_row(info_of[index], item_date(day, rng), index == info_slots[0]))
        rows[0]["date"] = day  # the hand-in Friday always carries an item, so 2022-12-23 ends the year
        rows.sort(key=lambda row: (row["date"], row["unit"], row["title"]))
        batches.append((day, rows))
    return batches


def resubmitted_copy(rows: list[Row]) -> list[Row]:
    # the same items typed again: a trailing full-width space and padded title normalise back to the original
    copies = [dict(row) for row in rows[:RESUBMITTED_ROWS]]
    copies[0]["unit"] = f"{copies[0]['unit']}\u3000"
    copies[2]["title"] = f"  {copies[2]['title']} "
    return copies


def write_dynamics(folder: Path, rng: random.Random) -> None:
    batches = build_batches(rng)
    for (day, rows), layout in zip(batches, BATCH_LAYOUTS, strict=True):
        fields = [tuple(row[FIELD_OF[name]] for name in layout[1]) for row in rows]
        write_table(folder / day.isoformat(), "工作动态", layout, fields)
    day, rows = batches[RESUBMITTED_BATCH]
    copies = [tuple(row[FIELD_OF[name]] for name in HEADER_REPORTED) for row in resubmitted_copy(rows)]
    write_table(folder / f"{day.isoformat()}-resubmitted", "工作动态", ("xlsx", HEADER_REPORTED, None), copies)


def within(day: dt.date, window: tuple[dt.date, dt.date]) -> bool:
    return window[0] <= day <= window[1]


def week_weight(level: str, friday: dt.date) -> float:
    # coverage peaks around the anniversary and the 20th Party Congress; central media come mostly then
    if level == "中央":
        return 6.0 if within(friday, CONGRESS_WEEKS) else 3.0 if within(friday, ANNIVERSARY_WEEKS) else 0.3
    return 1.0 + 2.0 * within(friday, ANNIVERSARY_WEEKS) + 1.5 * within(friday, CONGRESS_WEEKS)


def theme(level: str, outlet: str, friday: dt.date, rng: random.Random) -> str:
    if within(friday, CONGRESS_WEEKS) and (level == "中央" or rng.random() < 0.5):
        return "喜迎二十大 共富西湖行"
    if outlet in ("西湖报", "美丽西湖") and friday >= DISTRICT_COLUMN_START and rng.random() < 0.6:
        return "打造共同富裕示范区的首善之区"
    if within(friday, ASIAN_GAMES_WEEKS) and rng.random() < 0.4:
        return "共富迎亚运"
    if level in ("省级", "市级") and rng.random() < 0.35:
        return "杭向共富"
    return ""


def media_rows(rng: random.Random) -> list[tuple[dt.date, str, str, int, str]]:
    fridays = [FIRST_FRIDAY + dt.timedelta(days=7 * week) for week in range(51)]
    counts: Counter[tuple[dt.date, int, int]] = Counter()
    for level_index, (level, total) in enumerate(zip(MEDIA_LEVELS, MEDIA_TOTALS, strict=True)):
        outlets = OUTLETS[level]
        week_weights = [week_weight(level, friday) for friday in fridays]
        outlet_weights = range(len(outlets), 0, -1)  # the first-listed outlets publish most
        for _ in range(total):
            friday = rng.choices(fridays, weights=week_weights)[0]
            outlet_index = rng.choices(range(len(outlets)), weights=outlet_weights)[0]
            counts[(friday, level_index, outlet_index)] += 1
    rows = []
    for (friday, level_index, outlet_index), count in sorted(counts.items()):
        level = MEDIA_LEVELS[level_index]
        outlet = OUTLETS[level][outlet_index]
        rows.append((friday, outlet, level, count, theme(level, outlet, friday, rng)))
    return rows


def write_media(folder: Path, rng: random.Random) -> None:
    rows = media_rows(rng)
    for month, layout in enumerate(MEDIA_LAYOUTS, start=1):
        monthly = [row for row in rows if row[0].month == month]
        if month == MEDIA_REPEAT_MONTH:
            monthly.insert(0, [row for row in rows if row[0].month == month - 1][-1])
        if layout[0] != "xlsx":
            monthly = [(day, outlet, level, str(count), name) for day, outlet, level, count, name in monthly]
        write_table(folder / f"{YEAR}-{month:02d}", "媒体宣传", layout, monthly)


def task_rows(prefix: str, kind: str, table: dict[str, tuple[tuple[str, str], ...]]) -> list[list[str]]:
    tasks = [(area, name, unit) for area, items in table.items() for name, unit in items]
    return [[f"{prefix}-{i:02d}", kind, *task] for i, task in enumerate(tasks, start=1)]


def write_tasks(path: Path, rng: random.Random) -> None:
    rows = task_rows("ZD", "重点工作", KEY_TASKS) + task_rows("GG", "重大改革", REFORMS)
    total = len(rows)
    unfinished = rng.sample(range(total), TASKS_IN_PROGRESS + TASKS_NOT_STARTED)
    status = ["已完成"] * total
    for position, index in enumerate(unfinished):
        status[index] = "未启动" if position < TASKS_NOT_STARTED else "推进中"
    write_xlsx(path, "任务清单", TASKS_HEADER, [[*row, state] for row, state in zip(rows, status, strict=True)])


def generate(out: Path) -> Path:
    rng = random.Random(SEED)
    year_dir = out / str(YEAR)
    out.mkdir(parents=True, exist_ok=True)
    (out / "program.yaml").write_text(PROGRAM_YAML, encoding="utf-8")
    for sub in ("dynamics", "media"):
        (year_dir / sub).mkdir(parents=True, exist_ok=True)
    write_csv(year_dir / "meetings.csv", ("日期", "会议名称", "类型"), [list(m) for m in MEETINGS], "utf-8")
    write_tasks(year_dir / "tasks.xlsx", rng)
    write_csv(year_dir / "achievements.csv", ACHIEVEMENTS_HEADER, [list(a) for a in ACHIEVEMENTS], "utf-8-sig")
    write_dynamics(year_dir / "dynamics", rng)
    write_media(year_dir / "media", rng)
    return year_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("raw"), help="raw folder to write <year>/ into (default: raw)")
    year_dir = generate(parser.parse_args().out)
    files = sorted(path for path in year_dir.rglob("*") if path.is_file())
    print(f"wrote {len(files)} files under {year_dir}")


if __name__ == "__main__":
    main()
