"""Propose theme ids from data/themes.yaml by the words an article uses.

Each theme is found by the terms of its own name (劳动和技能竞赛（技术比武） →
技能竞赛, 技术比武; words inside “” of its description) plus a small table of
the usual wording for the standard themes. Only ids present in themes.yaml are
ever proposed, so an edited vocabulary is respected.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

KEYWORDS: dict[str, tuple[str, ...]] = {
    "party-building": ("党建带工建", "党工共建", "发展产业工人党员", "产业工人党员", "发展党员", "吸收到党组织"),
    "ideological-education": ("宣讲", "思想政治", "主题教育", "理论武装", "思政"),
    "model-workers": ("劳动模范", "劳模", "五一劳动奖", "工人先锋号", "工匠评选", "选树"),
    "representation": ("人大代表", "人代会代表", "党代表", "政协委员", "两委员一代表", "代表比例"),
    "skills-training": ("技能培训", "职业培训", "培训补贴", "技能提升补贴", "技能提升", "职业技能培训"),
    "apprenticeship": ("学徒", "名师带徒", "师带徒", "带徒", "订单班"),
    "skill-evaluation": ("新八级", "自主评价", "技能评价", "自主认定", "技能等级认定", "技能鉴定", "鉴定考核", "职业技能等级"),
    "skill-competitions": (
        "技术比武",
        "技能竞赛",
        "技能大赛",
        "技能比赛",
        "劳动竞赛",
        "立功竞赛",
        "岗位练兵",
        "职业技能竞赛",
        "竞赛",
    ),
    "innovation-studios": ("工作室",),
    "industry-education": ("产教融合", "产教联合体", "校企合作", "实训基地", "职业教育", "职业院校", "技工学校", "技师学院"),
    "career-development": ("晋升通道", "发展通道", "成长通道", "破格", "身份界限", "身份壁垒", "上升通道", "职业发展"),
    "team-leaders": ("班组长", "班组建设"),
    "pay-incentives": ("能级工资", "集体协商", "以技提薪", "薪酬激励", "工资集体", "薪酬分配", "技高者多得"),
    "legal-aid": ("法律援助", "法律咨询", "法律服务", "法治宣传", "劳动法律监督"),
    "care-assistance": ("托管", "驿站", "帮扶", "送温暖", "送清凉", "金秋助学", "困难职工", "疗休养", "互助保障", "服务站"),
    "new-employment-forms": ("建会入会", "新就业形态", "快递员", "外卖", "送餐员", "货车司机", "网约车", "平台企业"),
    "joint-meetings": ("联席会议", "统筹协调", "工作专班"),
    "pilots": ("试点", "示范企业", "先行先试"),
    "funding": ("财政投入", "补贴资金", "专项资金", "经费投入", "财政安排", "帮扶资金", "奖励资金"),
}
MIN_HITS = 1


@dataclass(frozen=True)
class ThemeHit:
    id: str
    hits: int
    words: tuple[str, ...]


def name_terms(name: str, description: str = "") -> set[str]:
    """Terms of a theme's name split on its punctuation, plus the quoted words of its description."""
    terms = set()
    for part in re.split(r"[与和及、，,（）()\s/]+", name):
        if len(part) >= 3:
            terms.add(part)
    for quoted in re.findall(r"“([^”]{2,8})”", description):
        terms.add(quoted)
    return terms


def propose_themes(text: str, themes: list[dict]) -> list[ThemeHit]:
    """Theme ids whose words the text uses, most used first."""
    hits: list[ThemeHit] = []
    for theme in themes:
        theme_id = str(theme.get("id", ""))
        if not theme_id:
            continue
        words = set(KEYWORDS.get(theme_id, ())) | name_terms(str(theme.get("name", "")), str(theme.get("description", "")))
        counts = Counter({w: text.count(w) for w in words})
        # A word inside a longer keyword of the same theme is not counted twice (技能培训 within 职业技能培训).
        for w in list(counts):
            for longer in counts:
                if w != longer and w in longer and counts[longer]:
                    counts[w] -= counts[longer]
        total = sum(max(0, c) for c in counts.values())
        if total >= MIN_HITS:
            used = tuple(sorted((w for w, c in counts.items() if c > 0), key=lambda w: -counts[w]))
            hits.append(ThemeHit(theme_id, total, used))
    children = {str(t.get("parent")) for t in themes if t.get("parent")}
    hits = [h for h in hits if h.id not in children or h.hits >= 3]  # a broad theme only when named outright
    return sorted(hits, key=lambda h: (-h.hits, h.id))
