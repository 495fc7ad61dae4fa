"""分类考试招生 (admissions): the "文化素质+职业技能" score, 平行志愿 dispatch, placement into majors.

《职业教育提质培优行动计划（2020—2023年）》任务 13–15：“分类考试招生成为高职学校招生的主渠道”，
“推动各地将技工学校纳入职业教育统一招生平台”，“职业技能测试分值不低于总分值的50%”。
No I/O: the adapters read the files, the services run the rounds. The allocation runs on numpy arrays
and compiled loops (`rounds.py`, `kernels.py`); `reference.py` is the same rules in plain Python.
"""
