"""The fixed vocabulary of the domain: the five disciplines and the four axes.

Pure data (no framework imports). User-facing labels are translated in the web
layer; the Chinese characters here are domain terms staff use as-is.
"""

from __future__ import annotations

from typing import Final

#: The five service disciplines (五项服务修炼), in teaching order.
DISCIPLINES: Final[tuple[str, ...]] = ("look", "listen", "smile", "speak", "act")

#: The Chinese character staff use for each discipline.
DISCIPLINE_CHARS: Final[dict[str, str]] = {
    "look": "看",
    "listen": "听",
    "smile": "笑",
    "speak": "说",
    "act": "动",
}

#: The four transformation axes and their from → to terms.
AXES: Final[tuple[str, ...]] = ("behaviour", "language", "attitude", "work")

AXIS_TERMS: Final[dict[str, tuple[str, str]]] = {
    "behaviour": ("他律", "自律"),
    "language": ("粗俗", "文明"),
    "attitude": ("生硬", "礼貌"),
    "work": ("习惯", "标准"),
}

#: The seven "ones" of reception (接待七个一), in order.
SEVEN_ONES: Final[tuple[str, ...]] = (
    "smile",  # 捧出一张笑脸
    "seat",  # 让出一个座位
    "greet",  # 进门一声问候
    "record",  # 倾听一本记录
    "promise",  # 答应一句承诺
    "arrange",  # 安排一事落实
    "goodbye",  # 出门一声再见
)

SEVEN_ONES_CHINESE: Final[dict[str, str]] = {
    "smile": "捧出一张笑脸",
    "seat": "让出一个座位",
    "greet": "进门一声问候",
    "record": "倾听一本记录",
    "promise": "答应一句承诺",
    "arrange": "安排一事落实",
    "goodbye": "出门一声再见",
}

ROLES: Final[tuple[str, ...]] = ("employee", "trainer", "hr", "admin")
