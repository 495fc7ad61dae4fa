"""Quality monitoring (质量监测): data elements, periods, indicators, standards, verdicts, cards, rules.

Pure: no I/O. 教职成〔2020〕7号 task 17: “完善办学质量监管评价机制”.
"""
