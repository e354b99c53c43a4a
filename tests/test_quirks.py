"""The files offices really send, one folder per family of quirks (tests/data/quirks, made by
tools/quirk_fixtures.py and described row by row in its EXPECTED.md): every row counted,
rejected or a layout row exactly as a person reading the sheet would, every file accounted for."""

import datetime as dt
from pathlib import Path

import pytest

from pipeline.contract import TABLES, Program
from pipeline.intake.tables import other_files, take_in

QUIRKS = Path(__file__).parent / "data" / "quirks"
D = dt.date
KEY = {
    "dynamics": ("date", "unit", "area", "title", "kind"),
    "media": ("date", "outlet", "level", "count", "theme"),
    "meetings": ("date", "name"),
    "tasks": ("id", "kind", "area", "status"),
    "achievements": ("date", "name", "kind", "level"),
}


def _outcome(family: str) -> dict[str, list[tuple]]:
    """Everything the family's folder gave, table by table, in file and row order."""
    raw = QUIRKS / family
    found: dict[str, list[tuple]] = {"not read": [tuple(r) for r in other_files(raw, 2023).select("file", "skipped").rows()]}
    for spec in TABLES.values():
        intake = take_in(raw, 2023, spec, Program())
        found[spec.name] = [("counted", f, r, *rest) for f, r, *rest in intake.counted.select("file", "row", *KEY[spec.name]).rows()]
        found[spec.name] += [("rejected", *row) for row in intake.rejects.select("file", "row", "reason").rows()]
        found[spec.name] += [("layout", *row) for row in intake.layout.rows()]
        found[spec.name] += [("warning", *row) for row in intake.warnings.rows()]
        found[spec.name] += [("nil report", *row) for row in intake.nil_reports.rows()]
        found["not read"] += [tuple(r) for r in intake.sources.filter(intake.sources["error"].is_not_null()).select("file", "skipped").rows()]
        assert intake.rows_read == intake.counted.height + intake.rejects.height + intake.duplicates.height + intake.layout.height
    found["not read"].sort()
    return {k: v for k, v in found.items() if v}


EXPECTED = {
    'formats': {
        'dynamics': [
            ('counted', '2023/dynamics/a.csv', 2, D(2023, 1, 6), '西溪街道', '社会治理', '西溪街道“共享社区”议事会首次开议', '动态'),
            ('counted', '2023/dynamics/a.csv', 3, D(2023, 1, 6), '区发改局', '经济高质量发展', '区发改局召开数字经济重点项目推进会', '信息'),
            ('counted', '2023/dynamics/b.csv', 2, D(2023, 1, 13), '三墩镇', '区域协调发展', '三墩镇与淳安县签订山海协作结对协议', '动态'),
            ('counted', '2023/dynamics/b.csv', 3, D(2023, 1, 13), '区教育局', '公共服务优质共享', '西湖区新增三所城乡教共体学校', '动态'),
            ('counted', '2023/dynamics/c.txt', 2, D(2023, 1, 20), '区民政局', '社会治理', '幸福西湖民生综合体新增两处服务点', '动态'),
            ('counted', '2023/dynamics/c.txt', 3, D(2023, 1, 20), '区人力社保局', '收入分配', '区人力社保局发布灵活就业人员参保指引', '信息'),
            ('counted', '2023/dynamics/d.tsv', 2, D(2023, 2, 3), '留下街道', '社会文化', '留下街道举办元宵节“我们的节日”文化活动', '动态'),
            ('counted', '2023/dynamics/d.tsv', 3, D(2023, 2, 3), '区农业农村局', '区域协调发展', '区农业农村局推进强村公司提质增效', '动态'),
            ('counted', '2023/dynamics/e.xlsx', 2, D(2023, 2, 10), '转塘街道', '生态文明建设', '转塘街道完成象山溪生态修复一期工程', '动态'),
            ('counted', '2023/dynamics/e.xlsx', 3, D(2023, 2, 10), '区卫健局', '公共服务优质共享', '区卫健局推出“健康大脑+智慧医疗”便民服务', '信息'),
            ('counted', '2023/dynamics/f.xlsm', 2, D(2023, 2, 17), '蒋村街道', '社会治理', '蒋村街道上线“邻里帮”志愿服务平台', '动态'),
            ('counted', '2023/dynamics/f.xlsm', 3, D(2023, 2, 17), '区住建局', '公共服务优质共享', '区住建局启动2023年老旧小区改造', '动态'),
            ('counted', '2023/dynamics/g.xls', 2, D(2023, 2, 24), '文新街道', '社会文化', '文新街道开展“书香文新”全民阅读月活动', '动态'),
            ('counted', '2023/dynamics/g.xls', 3, D(2023, 2, 24), '区市场监管局', '经济高质量发展', '区市场监管局助企纾困专项行动启动', '信息'),
            ('counted', '2023/dynamics/h.ods', 2, D(2023, 3, 3), '翠苑街道', '收入分配', '翠苑街道开展技能培训助力居民增收', '动态'),
            ('counted', '2023/dynamics/h.ods', 3, D(2023, 3, 3), '区文广旅体局', '社会文化', '区文广旅体局推出“宋韵西湖”文化惠民季', '动态'),
        ],
        'media': [
            ('counted', '2023/media/m.xls', 2, D(2023, 1, 5), '人民日报', '中央', 1, '杭向共富'),
            ('counted', '2023/media/m.xls', 3, D(2023, 1, 12), '浙江日报', '省级', 4, None),
            ('counted', '2023/media/m.xls', 4, D(2023, 1, 19), '西湖报', '区级', 6, '共同富裕看西湖'),
        ],
    },
    'locations': {
        'not read': [
            ('2023/dynamics/.DS_Store', True),
            ('2023/dynamics/周报说明.docx', False),
            ('2023/dynamics/第7周/~$办公室.xlsx', True),
            ('2023/汇总表.xlsx', True),
            ('2023/说明.docx', True),
        ],
        'dynamics': [
            ('counted', '2023/dynamics/第7周/办公室.xlsx', 2, D(2023, 2, 13), '北山街道', '社会治理', '北山街道试点“一老一小”综合服务', '动态'),
            ('counted', '2023/dynamics/第7周/办公室.xlsx', 3, D(2023, 2, 15), '区医保分局', '公共服务优质共享', '区医保分局推进长期护理保险扩面', '动态'),
            ('counted', '2023/dynamics/第7周/办公室.xlsx', 4, D(2023, 2, 17), '古荡街道', '经济高质量发展', '古荡街道召开楼宇经济服务座谈会', '信息'),
            ('counted', '2023/dynamics/街道/西溪街道/第8周.csv', 2, D(2023, 2, 20), '西溪街道', '公共服务优质共享', '西溪街道开设“家门口”老年食堂', '动态'),
            ('counted', '2023/dynamics/街道/西溪街道/第8周.csv', 3, D(2023, 2, 23), '西溪街道', '社会治理', '西溪街道推行网格“多员合一”', '动态'),
        ],
        'media': [
            ('counted', '2023/media/10月/稿件.csv', 2, D(2023, 10, 9), '杭州日报', '市级', 3, '共富迎亚运'),
            ('counted', '2023/media/10月/稿件.csv', 3, D(2023, 10, 16), '浙江在线', '省级', 2, None),
        ],
        'meetings': [
            ('counted', '2023/会议.xlsx', 2, D(2023, 3, 15), '西湖区共同富裕示范区建设领导小组第一次会议'),
            ('counted', '2023/会议.xlsx', 3, D(2023, 6, 20), '共同富裕示范区建设二季度工作推进会'),
        ],
        'tasks': [
            ('counted', '2023/任务/重大改革.xlsx', 2, 'GG-2023-01', '重大改革', '扩中提低', '推进中'),
            ('counted', '2023/任务/重大改革.xlsx', 3, 'GG-2023-02', '重大改革', '共同富裕基本单元改革', '未启动'),
            ('counted', '2023/任务/重点工作.csv', 2, 'ZD-2023-01', '重点工作', '经济高质量发展', '推进中'),
            ('counted', '2023/任务/重点工作.csv', 3, 'ZD-2023-02', '重点工作', '公共服务优质共享', '已完成'),
        ],
        'achievements': [
            ('counted', '2023/成果.csv', 2, D(2023, 5, 18), '“共享社区”建设入选全省共同富裕最佳实践', '最佳实践', '省级'),
            ('counted', '2023/成果.csv', 3, D(2023, 9, 1), '三墩镇入选全国乡村治理示范镇', '荣誉', '国家级'),
        ],
    },
    'sheets': {
        'not read': [
            ('2023/dynamics/周报.xlsx#下拉选项', True),
            ('2023/dynamics/周报.xlsx#填报说明', True),
            ('2023/dynamics/空表.xlsx#Sheet2', True),
        ],
        'dynamics': [
            ('counted', '2023/dynamics/周报.xlsx', 2, D(2023, 1, 3), '灵隐街道', '社会文化', '灵隐街道启动“运河文化进社区”系列活动', '动态'),
            ('counted', '2023/dynamics/周报.xlsx', 3, D(2023, 1, 4), '双浦镇', '区域协调发展', '双浦镇召开强村富民集成改革推进会', '动态'),
            ('counted', '2023/dynamics/周报.xlsx', 4, D(2023, 1, 5), '区生态环境分局', '生态文明建设', '区生态环境分局发布2022年度空气质量公报', '信息'),
            ('counted', '2023/dynamics/周报.xlsx#第2周', 2, D(2023, 1, 9), '西湖街道', '公共服务优质共享', '西湖街道新增两家社区嵌入式托育点', '动态'),
            ('counted', '2023/dynamics/周报.xlsx#第2周', 3, D(2023, 1, 11), '区委社建委', '社会治理', '区委社建委部署2023年社区治理重点任务', '动态'),
            ('counted', '2023/dynamics/周报.xlsx#第2周', 4, D(2023, 1, 13), '区人力社保局', '收入分配', '区人力社保局开展春风行动专场招聘会', '动态'),
        ],
    },
    'headers': {
        'not read': [
            ('2023/dynamics/noheader.csv', False),
        ],
        'dynamics': [
            ('counted', '2023/dynamics/odd_names.csv', 2, D(2023, 10, 26), '区民政局', '社会治理', '区民政局发布社区社会组织培育计划', '动态'),
            ('counted', '2023/dynamics/odd_names.csv', 3, D(2023, 10, 27), '翠苑街道', '收入分配', '翠苑街道开设共富工坊增加居民收入', '动态'),
            ('counted', '2023/dynamics/required_mark.xlsx', 2, D(2023, 10, 30), '蒋村街道', '生态文明建设', '蒋村街道开展西溪湿地周边河道清淤', '动态'),
            ('counted', '2023/dynamics/required_mark.xlsx', 3, D(2023, 10, 31), '区市场监管局', '经济高质量发展', '区市场监管局推进个转企助力小微企业成长', '动态'),
            ('counted', '2023/dynamics/title.xlsx', 4, D(2023, 10, 16), '西溪街道', '社会治理', '西溪街道召开第四季度网格工作例会', '动态'),
            ('counted', '2023/dynamics/title.xlsx', 5, D(2023, 10, 18), '西溪街道', '公共服务优质共享', '西溪街道“助老员”上门服务覆盖全部独居老人', '动态'),
            ('counted', '2023/dynamics/title.xlsx', 6, D(2023, 10, 20), '西溪街道', '社会文化', '西溪街道举办重阳节敬老文艺汇演', '信息'),
            ('counted', '2023/dynamics/twolevel.xlsx', 3, D(2023, 10, 23), '三墩镇', '经济高质量发展', '三墩镇数字经济产业园新签约项目五个', '动态'),
            ('counted', '2023/dynamics/twolevel.xlsx', 4, D(2023, 10, 24), '区教育局', '公共服务优质共享', '区教育局启动“教育共富”结对帮扶计划', '信息'),
            ('counted', '2023/dynamics/twolevel.xlsx', 5, D(2023, 10, 25), '区农业农村局', '区域协调发展', '区农业农村局召开山区海岛县结对工作会', '动态'),
            ('layout', '2023/dynamics/title.xlsx', 1, '表头上方的标题行', '西湖区共同富裕工作动态报送表（2023年第42周）'),
            ('layout', '2023/dynamics/title.xlsx', 2, '表头上方的标题行', '填报单位：西溪街道 | 填报日期：2023年10月20日'),
        ],
        'media': [
            ('counted', '2023/media/synonyms.xlsx', 2, D(2023, 5, 8), '光明日报', '中央', 1, '共同富裕示范区建设'),
            ('counted', '2023/media/synonyms.xlsx', 3, D(2023, 5, 9), '浙江卫视', '省级', 2, None),
            ('counted', '2023/media/synonyms.xlsx', 4, D(2023, 5, 10), '西湖发布', '区级', 5, '共同富裕示范区建设'),
            ('counted', '2023/media/units.csv', 2, D(2023, 6, 5), '中国新闻网', '中央', 1, None),
            ('counted', '2023/media/units.csv', 3, D(2023, 6, 6), '杭州日报', '市级', 3, None),
        ],
    },
    'merged': {
        'dynamics': [
            ('counted', '2023/dynamics/merged.xlsx', 2, D(2023, 9, 4), '三墩镇', '经济高质量发展', '三墩镇举办数字经济人才招聘周', '动态'),
            ('counted', '2023/dynamics/merged.xlsx', 3, D(2023, 9, 4), '三墩镇', '区域协调发展', '三墩镇与松阳县共建飞地产业园', '动态'),
            ('counted', '2023/dynamics/merged.xlsx', 4, D(2023, 9, 4), '三墩镇', '社会文化', '三墩镇农村文化礼堂开展秋季文艺演出', '信息'),
            ('counted', '2023/dynamics/merged.xlsx', 5, D(2023, 9, 6), '三墩镇', '生态文明建设', '三墩镇完成紫金港河道水质提升工程', '动态'),
            ('counted', '2023/dynamics/merged.xlsx', 6, D(2023, 9, 8), '三墩镇', '生态文明建设', '三墩镇推行垃圾分类“定时定点”投放', '动态'),
        ],
        'media': [
            ('counted', '2023/media/merged_level.xls', 2, D(2023, 9, 25), '杭州日报', '市级', 2, '亚运惠民'),
            ('counted', '2023/media/merged_level.xls', 3, D(2023, 9, 25), '杭州电视台', '市级', 1, '亚运惠民'),
            ('counted', '2023/media/merged_level.xls', 4, D(2023, 9, 25), '杭州网', '市级', 3, None),
            ('counted', '2023/media/merged_level.xls', 5, D(2023, 9, 25), '西湖报', '区级', 4, '亚运惠民'),
        ],
    },
    'layout': {
        'dynamics': [
            ('counted', '2023/dynamics/footer.xlsx', 2, D(2023, 11, 13), '留下街道', '区域协调发展', '留下街道与开化县签订共富结对协议', '动态'),
            ('counted', '2023/dynamics/footer.xlsx', 3, D(2023, 11, 15), '区卫健局', '公共服务优质共享', '区卫健局推进基层卫生服务“一站式”改革', '信息'),
            ('counted', '2023/dynamics/footer.xlsx', 4, D(2023, 11, 17), '转塘街道', '社会文化', '转塘街道举办“艺术转塘”社区美育节', '动态'),
            ('counted', '2023/dynamics/notes_block.xlsx', 2, D(2023, 12, 11), '古荡街道', '社会治理', '古荡街道召开年度网格员表彰会', '动态'),
            ('counted', '2023/dynamics/notes_block.xlsx', 3, D(2023, 12, 12), '区文广旅体局', '社会文化', '区文广旅体局举办冬季全民健身赛事', '信息'),
            ('counted', '2023/dynamics/notes_block.xlsx', 4, D(2023, 12, 13), '转塘街道', '收入分配', '转塘街道开展民宿从业人员技能提升培训', '动态'),
            ('counted', '2023/dynamics/template.xlsx', 2, D(2023, 11, 20), '文新街道', '社会治理', '文新街道推广“民生议事堂”协商机制', '动态'),
            ('counted', '2023/dynamics/template.xlsx', 3, D(2023, 11, 22), '区住建局', '公共服务优质共享', '区住建局新开工保障性租赁住房两千套', '信息'),
            ('counted', '2023/dynamics/template.xlsx', 4, D(2023, 11, 24), '北山街道', '社会文化', '北山街道开展西湖诗词进社区活动', '动态'),
            ('counted', '2023/dynamics/说明行.csv', 2, D(2023, 11, 27), '古荡街道', '收入分配', '古荡街道开展“共富工坊”技能培训', '动态'),
            ('counted', '2023/dynamics/说明行.csv', 3, D(2023, 11, 29), '区发改局', '经济高质量发展', '区发改局召开民营企业座谈会', '动态'),
            ('layout', '2023/dynamics/footer.xlsx', 6, '签署行', '填表人：张三 | 联系电话：0571-88888888'),
            ('layout', '2023/dynamics/footer.xlsx', 7, '签署行', '审核人：李四'),
            ('layout', '2023/dynamics/footer.xlsx', 8, '备注行', '备注：本表每周五前报送'),
            ('layout', '2023/dynamics/footer.xlsx', 9, '备注行', '注：领域按七大跑道填写'),
            ('layout', '2023/dynamics/notes_block.xlsx', 6, '备注行', '备注：'),
            ('layout', '2023/dynamics/notes_block.xlsx', 7, '备注行', '1. 请于每周五下午5点前报送至区共富办邮箱。'),
            ('layout', '2023/dynamics/notes_block.xlsx', 8, '备注行', '2、领域按七大跑道填写，类别填“动态”或“信息”。'),
            ('layout', '2023/dynamics/notes_block.xlsx', 9, '备注行', '（3）无动态的单位请在标题栏填写“无”。'),
            ('layout', '2023/dynamics/template.xlsx', 5, '空白模板行', '4'),
            ('layout', '2023/dynamics/template.xlsx', 6, '空白模板行', '5'),
            ('layout', '2023/dynamics/template.xlsx', 7, '空白模板行', '6'),
            ('layout', '2023/dynamics/template.xlsx', 8, '空白模板行', '7'),
            ('layout', '2023/dynamics/template.xlsx', 9, '空白模板行', '8'),
            ('layout', '2023/dynamics/说明行.csv', 4, '备注行', '说明：第48周其余单位无新增动态'),
        ],
        'media': [
            ('counted', '2023/media/totals2.csv', 2, D(2023, 12, 4), '浙江日报', '省级', 2, '共同富裕看浙江'),
            ('counted', '2023/media/totals2.csv', 3, D(2023, 12, 5), '杭州日报', '市级', 4, None),
            ('counted', '2023/media/totals2.csv', 5, D(2023, 12, 11), '西湖报', '区级', 8, None),
            ('counted', '2023/media/totals2.csv', 6, D(2023, 12, 12), '新华社', '中央', 1, '共同富裕看浙江'),
            ('counted', '2023/media/with_totals.xlsx', 2, D(2023, 10, 9), '浙江日报', '省级', 3, '共富迎亚运'),
            ('counted', '2023/media/with_totals.xlsx', 3, D(2023, 10, 10), '杭州日报', '市级', 5, '共富迎亚运'),
            ('counted', '2023/media/with_totals.xlsx', 4, D(2023, 10, 12), '西湖报', '区级', 12, None),
            ('counted', '2023/media/with_totals.xlsx', 5, D(2023, 10, 13), '新华社', '中央', 1, '共富迎亚运'),
            ('layout', '2023/media/totals2.csv', 4, '合计行', '小计 | 6'),
            ('layout', '2023/media/totals2.csv', 7, '合计行', '总 计 | 15'),
            ('layout', '2023/media/with_totals.xlsx', 6, '合计行', '2023-10-13 | 合计 | 区级 | 21'),
        ],
    },
    'dates': {
        'dynamics': [
            ('counted', '2023/dynamics/dates.xlsx', 2, D(2023, 10, 16), '西溪街道', '社会治理', '西溪街道开展消防安全进网格专项行动', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 3, D(2023, 10, 17), '三墩镇', '经济高质量发展', '三墩镇召开科创企业服务专班会议', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 4, D(2023, 10, 18), '区发改局', '区域协调发展', '区发改局赴衢州对接山海协作项目', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 5, D(2023, 10, 19), '区教育局', '公共服务优质共享', '区教育局发布课后服务提质方案', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 6, D(2023, 10, 23), '留下街道', '社会文化', '留下街道举办非遗展演进社区活动', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 7, D(2023, 11, 28), '区民政局', '社会治理', '区民政局开展困难群众走访慰问', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 8, D(2023, 11, 29), '区农业农村局', '区域协调发展', '区农业农村局举办农产品产销对接会', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 9, D(2023, 3, 5), '蒋村街道', '生态文明建设', '蒋村街道启动春季植树护绿行动', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 13, D(2023, 3, 5), '灵隐街道', '社会文化', '灵隐街道举办学雷锋志愿服务集市', '动态'),
            ('counted', '2023/dynamics/dates.xlsx', 14, D(2023, 3, 5), '双浦镇', '生态文明建设', '双浦镇开展钱塘江沿岸环境整治', '动态'),
            ('rejected', '2023/dynamics/dates.xlsx', 10, '日期“2023年10月”只有年月，没有具体日期，请写明哪一天（如2023-10-01）'),
            ('rejected', '2023/dynamics/dates.xlsx', 11, '日期“23-11-6”年份只写了两位，请写四位年份（如2023-11-06）'),
            ('rejected', '2023/dynamics/dates.xlsx', 12, '日期“11/1/2023”无法确定是“月/日/年”还是“日/月/年”，请写作2023-11-01或2023-01-11'),
            ('rejected', '2023/dynamics/dates.xlsx', 15, '日期“11/2/2023”无法确定是“月/日/年”还是“日/月/年”，请写作2023-11-02或2023-02-11'),
            ('warning', '2023/dynamics/dates.xlsx', 9, '日期“3月5日”未写年份，按报告年度2023年计为2023-03-05'),
        ],
        'media': [
            ('counted', '2023/media/counts.csv', 2, D(2023, 11, 6), '浙江日报', '省级', 12, None),
            ('counted', '2023/media/counts.csv', 3, D(2023, 11, 7), '杭州日报', '市级', 12, None),
            ('counted', '2023/media/counts.csv', 4, D(2023, 11, 8), '西湖报', '区级', 12, None),
            ('counted', '2023/media/counts.csv', 5, D(2023, 11, 9), '人民日报', '中央', 7, None),
            ('rejected', '2023/media/counts.csv', 6, '稿件数“3.5”不是大于等于0的整数'),
            ('rejected', '2023/media/counts.csv', 7, '稿件数“-1”不是大于等于0的整数'),
        ],
    },
    'nil': {
        'dynamics': [
            ('counted', '2023/dynamics/零报告.xlsx', 2, D(2023, 12, 18), '区残联', '公共服务优质共享', '区残联开展无障碍设施专项排查', '动态'),
            ('rejected', '2023/dynamics/零报告.xlsx', 7, '日期“2023年12月”只有年月，没有具体日期，请写明哪一天（如2023-12-01）'),
            ('rejected', '2023/dynamics/零报告.xlsx', 8, '报送单位为空'),
            ('rejected', '2023/dynamics/零报告.xlsx', 9, '日期“2022-12-30”不在报告年度2023年内'),
            ('layout', '2023/dynamics/零报告.xlsx', 3, '零报告', '2023-12-18 | 区司法局 | 无'),
            ('layout', '2023/dynamics/零报告.xlsx', 4, '零报告', '2023-12-19 | 区统计局 | 社会治理 | 本周无动态。 | 动态'),
            ('layout', '2023/dynamics/零报告.xlsx', 5, '零报告', '2023/12/20 | 区档案馆 | 无 | （暂无）'),
            ('layout', '2023/dynamics/零报告.xlsx', 6, '零报告', '2023-12-21 | 区科技局 | 经济高质量发展 | 无 | 走访科技型中小企业三家'),
            ('nil report', '2023/dynamics/零报告.xlsx', 3, D(2023, 12, 18), '区司法局'),
            ('nil report', '2023/dynamics/零报告.xlsx', 4, D(2023, 12, 19), '区统计局'),
            ('nil report', '2023/dynamics/零报告.xlsx', 5, D(2023, 12, 20), '区档案馆'),
            ('nil report', '2023/dynamics/零报告.xlsx', 6, D(2023, 12, 21), '区科技局'),
        ],
    },
}


@pytest.mark.parametrize("family", sorted(EXPECTED))
def test_every_row_of_every_file_is_read_as_a_person_reads_it(family: str) -> None:
    assert _outcome(family) == EXPECTED[family]


def test_the_folder_of_every_quirk_loses_no_row() -> None:
    """All families in one year folder: the sum of the parts, nothing lost between them."""
    outcome = _outcome("everything")
    for table in ("dynamics", "media"):
        kinds = [row[0] for row in outcome[table]]
        expected_kinds = [row[0] for family in EXPECTED.values() for row in family.get(table, [])]
        assert sorted(kinds) == sorted(expected_kinds), table
    assert sum(row[6] for row in outcome["media"] if row[0] == "counted") == 117
    assert [len(outcome[t]) for t in ("meetings", "tasks", "achievements")] == [3, 4, 2]

