"""The topics every committee starts with, and the keywords that suggest them.

Committees edit, reorder, deactivate and add to these in the UI; the list here is only the starting point
(seeded by migration 0002 for the committees that existed then, and on first use for later ones).
"""

# (name, keywords). Keywords are matched after ``search.normalize`` (Simplified, half-width), as substrings.
DEFAULT_TOPICS = [
    ("生态环保", ["生态", "环保", "环境", "污染", "水质", "河道", "河湖", "排污", "大气", "扬尘", "垃圾分类",
              "绿化", "节能", "减排", "碳达峰", "碳中和", "湿地"]),
    ("民生", ["民生", "教育", "学校", "医疗", "医院", "养老", "托育", "就业", "住房", "社保", "电梯", "老旧小区",
            "食品安全", "残疾人", "停车"]),
    ("产业转型", ["产业", "转型", "升级", "制造业", "数字经济", "科技创新", "高新技术", "营商环境", "民营企业",
              "中小企业", "新能源"]),
    ("开放", ["开放", "外贸", "外资", "招商", "引资", "口岸", "自贸", "跨境", "一带一路", "进出口", "港澳台"]),
    ("基层治理", ["基层", "社区", "网格", "街道", "村务", "物业", "矛盾纠纷", "调解", "志愿服务", "平安建设"]),
    ("乡村振兴", ["乡村振兴", "农村", "农业", "农民", "村集体", "高标准农田", "种业", "宅基地"]),
    ("文化旅游", ["文化", "旅游", "文旅", "非遗", "文物", "博物馆", "全民阅读", "体育"]),
]
