"""Words the site shows for the codes records use: one table per idea, shared by the pages and the search index."""

RECORD_KIND = {"Practice": "经验做法", "Case": "典型案例"}  # what a record is
CASE_KIND = {
    "programme": "企业项目",
    "workshop": "工作室",
    "team": "班组",
    "person": "人物",
    "station": "服务站点",
}  # what a case is about
