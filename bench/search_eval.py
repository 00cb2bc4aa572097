"""Search quality on a generated, labelled set: similar items, department suggestions, Traditional queries.

Usage: XS_DATABASE_URL=sqlite:////tmp/xs_eval.sqlite3 .venv/bin/python bench/search_eval.py

The set is generated from 24 issues. Each issue has synonym pools for its subject and its problems, a set of
proposed measures and a handling department; every "author" writes the issue with other words, another
order, another length (one or two sentences up to a long text with general filler) and, for a third of the
authors, in Traditional characters (Taiwan phrasing for some). Past proposals (3 per issue, filed and
handled by the issue's department) plus 150 distractors that share only general vocabulary form the corpus;
one more author per issue writes the new proposal (the query). Figures:

- similar items: recall@5 (a same-issue past proposal in the top 5) and precision of what is shown above the
  committee threshold (shown items that are of the same issue);
- department suggestions: top-1 / top-3 accuracy against the issue's department;
- Traditional queries: recall of a 2–4 character subject term written in Traditional characters.
The text is generated, not real, so these figures are an upper bound for real citizen text; see
docs/benchmarks.md.
"""

import json
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# subject synonyms, problem phrasings, measures, department (name, kind)
ISSUES = [
    (["老旧小区加装电梯", "老小区增设电梯", "既有住宅加装电梯"], ["资金分摊难", "低层住户反对", "审批手续繁琐"],
     ["设立专项补贴", "简化审批流程", "建立协商议事机制"], ("住房和城乡建设局", "government")),
    (["典农河水质", "典农河水环境", "典农河污染"], ["水质长期为劣五类", "沿岸排污口多", "生活污水直排"],
     ["整治排污口", "建设生态湿地", "实行河长制考核"], ("生态环境局", "government")),
    (["中小学上下学交通拥堵", "学校周边交通拥堵", "接送孩子堵车"], ["接送车辆多", "停车位不足", "道路狭窄"],
     ["错峰放学", "设置临时停车区", "增加交警疏导"], ("公安局交通警察大队", "legal")),
    (["农村饮水安全", "农村自来水供应", "乡村饮用水"], ["水管老化漏损", "水质不达标", "供水不稳定"],
     ["改造供水管网", "建设水质检测站", "落实管护责任"], ("水务局", "government")),
    (["养老服务机构", "社区养老服务", "居家养老"], ["床位不足", "护理人员短缺", "收费偏高"],
     ["增加养老床位", "培训护理人员", "给予运营补贴"], ("民政局", "government")),
    (["食品安全监管", "校园食品安全", "小餐饮食品安全"], ["抽检覆盖面窄", "从业人员健康证缺失", "后厨卫生差"],
     ["扩大抽检范围", "推行明厨亮灶", "加大处罚力度"], ("市场监督管理局", "government")),
    (["城区停车难", "停车位紧张", "乱停车问题"], ["停车位缺口大", "占用人行道", "收费不规范"],
     ["建设立体停车场", "错时共享停车", "规范停车收费"], ("城市管理局", "government")),
    (["中小企业融资难", "小微企业贷款难", "民营企业融资贵"], ["抵押物不足", "贷款利率高", "审批周期长"],
     ["设立担保基金", "发展普惠金融", "推行信用贷款"], ("财政局", "government")),
    (["农产品品牌建设", "特色农产品销售", "农产品电商"], ["品牌知名度低", "销售渠道单一", "冷链物流缺失"],
     ["打造区域公用品牌", "发展直播电商", "建设冷链仓储"], ("农业农村局", "government")),
    (["大气污染防治", "空气质量改善", "PM2.5污染治理"], ["优良天数减少", "工业废气排放", "扬尘污染严重"],
     ["淘汰落后产能", "加强工地扬尘管控", "推广清洁取暖"], ("生态环境局", "government")),
    (["基层医疗卫生服务", "乡镇卫生院建设", "村卫生室"], ["医生数量不足", "设备陈旧", "药品种类少"],
     ["定向培养村医", "更新医疗设备", "推进医联体建设"], ("卫生健康委员会", "government")),
    (["职业教育发展", "职业院校办学", "技能人才培养"], ["专业设置滞后", "校企合作不深", "实训条件差"],
     ["调整专业设置", "深化产教融合", "建设实训基地"], ("教育局", "government")),
    (["网络电信诈骗", "电信网络诈骗防范", "老年人受骗"], ["诈骗手段翻新", "老年人防范意识弱", "资金追回难"],
     ["加强反诈宣传", "建立预警劝阻机制", "加大打击力度"], ("公安局", "legal")),
    (["垃圾分类", "生活垃圾分类处理", "垃圾分类投放"], ["居民参与率低", "混装混运", "处理设施不足"],
     ["完善分类设施", "建立积分奖励", "加强督导检查"], ("城市管理局", "government")),
    (["文化遗产保护", "历史文化街区保护", "非物质文化遗产传承"], ["传承人老龄化", "保护资金不足", "过度商业开发"],
     ["设立保护基金", "培养年轻传承人", "规范开发利用"], ("文化和旅游局", "government")),
    (["乡村旅游发展", "农家乐提质", "休闲农业旅游"], ["同质化严重", "基础设施薄弱", "服务水平不高"],
     ["挖掘特色文化", "完善道路和厕所", "开展从业培训"], ("文化和旅游局", "government")),
    (["外出务工人员返乡创业", "返乡创业扶持", "农民工返乡创业"], ["缺少启动资金", "缺乏技术指导", "政策落实不到位"],
     ["提供创业担保贷款", "建设创业孵化园", "开展创业培训"], ("人力资源和社会保障局", "government")),
    (["社区矫正工作", "社区矫正人员管理", "刑满释放人员安置"], ["专职人员少", "帮扶措施单一", "就业安置难"],
     ["充实社区矫正队伍", "引入社会力量帮扶", "提供就业岗位"], ("司法局", "legal")),
    (["公共法律服务", "法律援助", "基层法律服务"], ["律师资源少", "群众知晓率低", "服务网点不足"],
     ["建设公共法律服务站", "开展普法宣传", "扩大援助范围"], ("司法局", "legal")),
    (["青少年心理健康", "中小学生心理健康教育", "学生心理问题"], ["心理教师缺乏", "家长重视不够", "课业负担重"],
     ["配齐心理健康教师", "开设家长学校", "减轻课业负担"], ("教育局", "government")),
    (["道路交通安全", "农村道路安全隐患", "交通事故多发路段"], ["缺少安全防护设施", "超速超载", "照明不足"],
     ["增设防护栏和标志", "加强路面巡查", "安装路灯"], ("公安局交通警察大队", "legal")),
    (["妇女儿童权益保护", "留守儿童关爱", "家庭暴力防治"], ["关爱服务不足", "监护缺失", "维权渠道不畅"],
     ["建设儿童之家", "落实强制报告制度", "畅通维权热线"], ("妇女联合会", "organisation")),
    (["青年就业创业", "大学生就业", "高校毕业生留本地就业"], ["岗位与专业不匹配", "薪资待遇偏低", "人才外流"],
     ["举办专场招聘", "发放就业补贴", "建设青年人才公寓"], ("共青团区委", "organisation")),
    (["公共交通出行", "公交线路优化", "城乡公交一体化"], ["线路覆盖不足", "班次间隔长", "换乘不便"],
     ["优化公交线路", "增加高峰班次", "建设换乘枢纽"], ("交通运输局", "government")),
]
OPENERS = ["近年来，", "目前，", "据调查，", "群众反映，", "我们在走访中发现，", ""]
FILLER = [
    "这一问题关系群众切身利益，社会关注度高。", "各级各部门做了大量工作，取得了一定成效。",
    "但与人民群众的期待相比仍有差距。", "为此，提出如下建议。", "希望有关部门高度重视，认真研究。",
    "要坚持以人民为中心的发展思想。", "要加强统筹协调，形成工作合力。", "要建立长效机制，防止问题反弹。",
]
TITLES = ["关于{s}的建议", "关于解决{s}问题的提案", "进一步做好{s}工作的建议", "{s}亟待改善", "关于加强{s}的意见建议"]


def write(issue, rng, *, length, traditional=False, taiwan=False):
    subjects, problems, measures, _dept = issue
    subject = rng.choice(subjects)
    title = rng.choice(TITLES).format(s=subject)
    ps = rng.sample(problems, k=rng.randint(1, len(problems)))
    ms = rng.sample(measures, k=rng.randint(1, len(measures)))
    sentences = [rng.choice(OPENERS) + f"{rng.choice(subjects)}方面存在{'、'.join(ps)}等问题。",
                 "建议" + "，".join(ms) + "。"]
    if length > 1:
        sentences[1:1] = rng.sample(FILLER, k=min(len(FILLER), length * 2))
    body = "".join(sentences)
    if traditional:
        import opencc

        conv = opencc.OpenCC("s2twp" if taiwan else "s2t")
        title, body = conv.convert(title), conv.convert(body)
    return title, body


def main():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from xieshang.org.models import Committee, Department, Member, Session, Term
    from xieshang.proposals.models import Assignment, Proposal
    from xieshang.search import index, query, similar
    from xieshang.search.models import SearchEntry
    from xieshang.testing import make_user

    rng = random.Random(2026)
    import datetime

    with transaction.atomic():
        Assignment.objects.all().delete()
        Proposal.objects.all().delete()
        committee, _ = Committee.objects.get_or_create(code="eval", defaults={"name": "评测政协", "level": "county"})
        term, _ = Term.objects.get_or_create(committee=committee, number=1, defaults={"start_date": datetime.date(2022, 1, 1)})
        session, _ = Session.objects.get_or_create(term=term, number=1, defaults={
            "year": 2025, "plenary_start": datetime.date(2025, 1, 1), "plenary_end": datetime.date(2025, 1, 3)})
        from django.contrib.auth import get_user_model

        staff = get_user_model().objects.filter(username="eval-staff").first() or make_user("eval-staff")
        from xieshang.org.models import RoleGrant

        RoleGrant.objects.get_or_create(user=staff, committee=committee, role="proposal_staff")
        Member.objects.get_or_create(committee=committee, user=staff, defaults={"name": "评测"})
        departments = {}
        for issue in ISSUES:
            name, kind = issue[3]
            departments[name] = Department.objects.get_or_create(committee=committee, name=name,
                                                                 defaults={"kind": kind})[0]
        past = []
        for i, issue in enumerate(ISSUES):
            for author in range(3):
                title, body = write(issue, rng, length=rng.randint(0, 3), traditional=author == 2 and i % 3 == 0)
                p = Proposal.objects.create(committee=committee, session=session, title=title, situation=body,
                                            status="filed", filed_at=None)
                Assignment.objects.create(proposal=p, department=departments[issue[3][0]], role="lead",
                                          assigned_at=datetime.date(2025, 3, 1),
                                          objection_due=datetime.date(2025, 3, 8), status="done")
                past.append((p.pk, i))
        # Distractors: general text about other matters, sharing the filler vocabulary.
        for j in range(150):
            body = "".join(rng.sample(FILLER, k=4))
            Proposal.objects.create(committee=committee, session=session, title=f"关于做好第{j}项常规工作的建议",
                                    situation=body, status="filed")
    SearchEntry.objects.all().delete()
    index.rebuild(["proposal"])
    threshold = 0.25
    shown_at = {t: [0, 0] for t in (0.2, 0.25, 0.3, 0.35, 0.4)}
    topic_of = dict(past)
    recall5 = shown = shown_right = top1 = top3 = 0
    for i, issue in enumerate(ISSUES):
        traditional = i % 2 == 0
        title, body = write(issue, rng, length=rng.randint(0, 4), traditional=traditional, taiwan=i % 4 == 0)
        matches = similar.similar(staff, committee.pk, title, body, kinds=("proposal",), limit=10)
        if any(topic_of.get(m.entry.object_id) == i for m in matches[:5]):
            recall5 += 1
        for m in matches:
            for t, pair in shown_at.items():
                if m.score >= t:
                    pair[0] += 1
                    pair[1] += topic_of.get(m.entry.object_id) == i
            if m.score >= threshold:
                shown += 1
                shown_right += topic_of.get(m.entry.object_id) == i
        suggestions = similar.suggest_departments(staff, committee.pk, title, body)
        names = [s.department.name for s in suggestions]
        top1 += bool(names) and names[0] == issue[3][0]
        top3 += issue[3][0] in names[:3]
    # Traditional-script queries: each subject term of each issue, in Traditional characters.
    import opencc

    s2t = opencc.OpenCC("s2t")
    relevant = found = 0
    for i, issue in enumerate(ISSUES):
        term = issue[0][0][:4]
        docs = set(SearchEntry.objects.filter(kind="proposal", norm_title__contains=term).values_list("object_id", flat=True)) | set(
            SearchEntry.objects.filter(kind="proposal", body__contains=term).values_list("object_id", flat=True))
        hits = set(query.search(staff, s2t.convert(term)).values_list("object_id", flat=True))
        relevant += len(docs)
        found += len(docs & hits)
    n = len(ISSUES)
    print(json.dumps({
        "issues": n, "past_proposals": len(past), "distractors": 150, "threshold": threshold,
        "similar_recall_at_5": round(recall5 / n, 3),
        "similar_precision_above_threshold": round(shown_right / shown, 3) if shown else None,
        "similar_shown_above_threshold": shown,
        "precision_by_threshold": {str(t): (round(r / n_, 3) if n_ else None, n_) for t, (n_, r) in shown_at.items()},
        "department_top1": round(top1 / n, 3), "department_top3": round(top3 / n, 3),
        "traditional_query_recall": round(found / relevant, 3) if relevant else None,
        "traditional_query_relevant_docs": relevant,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
