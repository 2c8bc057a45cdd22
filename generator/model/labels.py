"""Words the site shows for the codes records use: one table per idea, shared by the pages and the search index."""

from datetime import date

RECORD_KIND = {"Practice": "经验做法", "Case": "典型案例"}  # what a record is
CASE_KIND = {
    "programme": "企业项目",
    "workshop": "工作室",
    "team": "班组",
    "person": "人物",
    "station": "服务站点",
}  # what a case is about


def written_date(day: date) -> str:
    """A date as officials write it: 2023年12月28日 (no leading zeros, as GB/T 9704 writes dates)."""
    return f"{day.year}年{day.month}月{day.day}日"
