"""The vocabulary the demo ledger draws from: branches, places, firms, items, texts (all invented)."""

from __future__ import annotations

from dataclasses import dataclass

BRANCHES = {
    "经济技术开发区分指挥部": ("河津经济技术开发区管委会", "产业"),
    "工业新区分指挥部": ("市工业和信息化局", "产业"),
    "能源化工分指挥部": ("市能源局", "产业"),
    "城市建设分指挥部": ("市住房和城乡建设局", "城市功能"),
    "交通水利分指挥部": ("市交通运输局", "基础设施"),
    "文化旅游分指挥部": ("市文化和旅游局", "产业"),
    "农业农村分指挥部": ("市农业农村局", "产业"),
    "社会民生分指挥部": ("市发展和改革局", "民生"),
}

LEVELS = ["省级重点项目", '运城市"1311"重大工程项目', '运城市"五抓一优一促"项目', "河津市重点项目"]

SECTORS = ["产业", "基础设施", "民生", "城市功能"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"

LEADER_TITLES = [
    "副市长",
    "市委常委、常务副市长",
    "市委常委、组织部部长",
    "市人大常委会副主任",
    "市政协副主席",
    "副市长",
]

TOWNS = ["樊村镇", "僧楼镇", "小梁乡", "下化乡", "赵家庄乡", "柴家乡", "阳村街道", "清涧街道", "城区街道"]

PLACES = [
    "河津",
    "龙门",
    "汾河",
    "黄河",
    "禹门口",
    "清涧",
    "柴家",
    "樊村",
    "僧楼",
    "小梁",
    "阳村",
    "下化",
    "赵家庄",
    "城区",
]

FIRMS = ["宏达", "鑫源", "恒泰", "瑞丰", "晋河", "华鑫", "永盛", "天成", "金石", "远航", "通泽", "泓昌", "卓越", "嘉润"]

# what a company is called by what it builds (a tyre plant by a 实业 firm, a scenic area by a 文旅 one)
FIRM_TYPES = {
    "plant": ["新材料", "化工", "能源", "科技", "实业", "冶金", "环保"],
    "solar": ["新能源", "光伏科技", "能源"],
    "building": ["实业", "物流", "置业", "投资"],
    "tourism": ["文化旅游开发", "文旅发展"],
    "farm": ["农业科技", "农业开发", "现代农业"],
    "food": ["食品", "农产品开发"],
}


@dataclass(frozen=True)
class Item:
    """What a project builds: its name, the kind of works (which 形象进度 it passes through), and where it
    differs from its branch's, its sector, its responsible unit and its owner."""

    name: str
    kind: str
    sector: str | None = None
    unit: str | None = None
    owner: str | None = None  # an institution builds its own (河津市人民医院); else a company or a platform
    place: bool = True  # a place in the name (河津市樊村…); never for the city's own institutions
    firms: str = ""  # which companies build it (``FIRM_TYPES``), when not those of its kind


# each branch builds what its unit is responsible for: a tyre plant under 工业和信息化, a substation under the
# power company, a hospital under 卫生健康 — never under the wrong bureau
BRANCH_ITEMS: dict[str, list[Item]] = {
    "经济技术开发区分指挥部": [
        Item("年产30万吨铝合金型材项目", "plant"),
        Item("年产10万吨精细化工中间体项目", "plant"),
        Item("年产5000吨新型耐火材料项目", "plant"),
        Item("年产1万吨锂电池负极材料项目", "plant"),
        Item("年产3万吨碳纤维复合材料项目", "plant"),
        Item("年产2万吨高纯氧化铝项目", "plant"),
        Item("智能装备制造基地项目", "plant"),
        Item("数字经济产业园项目", "building"),
    ],
    "工业新区分指挥部": [
        Item("年产50万套汽车轮毂项目", "plant"),
        Item("年产20万吨钢渣综合利用项目", "plant"),
        Item("工业固废资源化利用项目", "plant"),
        Item("电解铝余热利用项目", "plant"),
        Item("智能铸造产业园项目", "plant"),
        Item("年产10万吨再生铝项目", "plant"),
        Item("危险废物集中处置中心项目", "plant", unit="运城市生态环境局河津分局"),
    ],
    "能源化工分指挥部": [
        Item("焦炉煤气综合利用项目", "plant"),
        Item("分布式光伏电站项目", "solar"),
        Item("氢能产业园项目", "plant"),
        Item("煤矸石综合利用发电项目", "plant"),
        Item("220千伏输变电工程", "power", sector="基础设施", unit="国网河津市供电公司", owner="国网河津市供电公司"),
        Item("天然气管网延伸工程", "pipe", sector="基础设施"),
    ],
    "城市建设分指挥部": [
        Item("城市综合体项目", "building"),
        Item("公共停车场项目", "building"),
        Item("城市公园提升项目", "park"),
        Item("雨污分流改造项目", "pipe"),
        Item("棚户区改造项目", "building"),
        Item("城市更新示范街区项目", "building"),
        Item("集中供热热源项目", "plant"),
        Item("城区供热管网改造工程", "pipe", place=False),
        Item("老旧小区改造项目", "building", sector="民生"),
        Item("保障性住房项目", "building", sector="民生"),
    ],
    "交通水利分指挥部": [
        Item("G108线改线工程", "road", place=False),
        Item("快速通道建设工程", "road"),
        Item("大道延伸工程", "road"),
        Item("农村公路提质改造工程", "road"),
        Item("{town}段农村公路改造工程", "road"),
        Item("汾河生态修复工程", "water", unit="市水务局", place=False),
        Item("污水处理厂提标改造工程", "plant", unit="市水务局"),
        Item("城乡供水一体化工程", "pipe", unit="市水务局"),
        Item("黄河防洪治理工程", "water", unit="市水务局", place=False),
        Item("灌区节水改造工程", "water", unit="市水务局"),
    ],
    "文化旅游分指挥部": [
        Item("黄河文化旅游综合体项目", "tourism"),
        Item("龙门景区提升改造项目", "tourism", place=False),
        Item("全域旅游集散中心项目", "building", owner="河津市文化旅游投资有限公司", place=False),
        Item("民俗文化街区项目", "tourism"),
    ],
    "农业农村分指挥部": [
        Item("特色农产品精深加工项目", "plant", firms="food"),
        Item("设施农业产业园项目", "farm"),
        Item("现代农业示范园项目", "farm"),
        Item("粮食仓储物流中心项目", "building"),
        Item("冷链物流园项目", "building"),
    ],
    "社会民生分指挥部": [
        Item("人民医院综合楼项目", "building", unit="市卫生健康局", owner="河津市人民医院", place=False),
        Item("妇幼保健院迁建项目", "building", unit="市卫生健康局", owner="河津市妇幼保健院", place=False),
        Item("中医医院门诊楼项目", "building", unit="市卫生健康局", owner="河津市中医医院", place=False),
        Item("第二中学扩建项目", "building", unit="市教育局", owner="河津市第二中学", place=False),
        Item("职业教育中心项目", "building", unit="市教育局", place=False),
        Item("幼儿园新建项目", "building", unit="市教育局"),
        Item("养老服务中心项目", "building", unit="市民政局"),
        Item("全民健身中心项目", "building", unit="市文化和旅游局", place=False),
        Item("{town}卫生院改扩建项目", "building", unit="市卫生健康局"),
        Item("{town}中心小学教学楼项目", "building", unit="市教育局"),
        Item("{town}农村幸福院项目", "building", unit="市民政局"),
        Item("{town}社区综合服务中心项目", "building", unit="市民政局"),
    ],
}

CONTENT = {
    "plant": "新建生产车间、仓库及配套设施，购置主要生产设备",
    "building": "新建主体建筑及配套用房，完善室外工程",
    "road": "新建及改造道路、桥涵及交通安全设施",
    "pipe": "新建及改造管网、泵站及配套设施",
    "water": "河道治理、堤防加固及生态修复",
    "power": "新建变电站一座及配套输电线路",
    "solar": "建设光伏组件、支架、升压站及配套送出线路",
    "park": "园林绿化、园路铺装及配套服务设施",
    "tourism": "景区基础设施、游客服务设施及文化展示场馆",
    "farm": "建设日光温室、连栋大棚及配套灌溉设施",
}

# 形象进度 as works of each kind pass through them, first month to last
PROGRESS_TEXTS = {
    "plant": ["场地平整", "桩基施工", "厂房主体施工", "钢结构安装", "设备基础施工", "设备安装", "设备调试"],
    "building": ["基础开挖", "桩基施工", "主体施工", "主体封顶", "二次结构施工", "装饰装修", "室外配套施工"],
    "road": ["征地拆迁", "路基施工", "桥涵施工", "路面基层施工", "路面施工", "交安设施施工"],
    "pipe": ["管材进场", "沟槽开挖", "管网铺设", "泵站施工", "管网试压"],
    "water": ["施工准备", "河道清淤", "堤防施工", "护岸施工", "生态绿化"],
    "power": ["场地平整", "变电站基础施工", "线路铁塔组立", "电气设备安装", "调试"],
    "solar": ["场地平整", "支架基础施工", "组件安装", "升压站施工", "并网调试"],
    "park": ["场地平整", "园路施工", "景观绿化", "配套设施施工"],
    "tourism": ["场地平整", "基础施工", "主体施工", "景观工程施工", "配套设施施工"],
    "farm": ["土地整理", "温室基础施工", "大棚建设", "灌溉设施安装", "设备调试"],
}
COMPLETED_TEXT, PRODUCTION_TEXT = "竣工验收", "投产运营"  # the month a project is completed, and goes into production

SIX_NEW = ["新基建", "新技术", "新材料", "新装备", "新产品", "新业态"]


FEEDBACK_TEXTS = [
    "已召开专题会议研究整改措施，倒排工期，增加施工力量，确保按期完成年度计划",
    "已落实开工条件，完成施工许可办理，项目已进场施工",
    "已协调解决资金问题，加快工程款拨付，施工进度明显加快",
]
