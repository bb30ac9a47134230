"""Names for the demo county: Fufeng's real street and towns, the places the source text names, and
generated village and person names in the common Guanzhong patterns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COUNTY_CODE = "610324"
COUNTY_NAME = "扶风县"


@dataclass(frozen=True)
class TownSpec:
    code: str
    name: str
    kind: str  # "street" or "town"
    slug: str  # for readable demo usernames
    # Roughly where the town's seat lies (WGS-84); the demo places its territory around it.
    seat: tuple[float, float]
    villages: int
    communities: int = 0
    # Real or fixed names first, in this order, so their codes never depend on the seed.
    fixed_villages: tuple[str, ...] = ()
    fixed_communities: tuple[str, ...] = ()


TOWNS: tuple[TownSpec, ...] = (
    TownSpec(
        "610324001",
        "城关街道",
        "street",
        "chengguan",
        (107.895, 34.372),
        villages=14,
        communities=6,
        fixed_villages=("西关村", "东关村", "南关村", "北关村"),
        # The first three are named in the source text (祥云, 百合 "Lily", 荷花苑 "Lotus Mansion").
        fixed_communities=(
            "祥云社区",
            "百合社区",
            "荷花苑社区",
            "美阳社区",
            "七星河社区",
            "凤泉社区",
        ),
    ),
    TownSpec("610324100", "天度镇", "town", "tiandu", (107.865, 34.505), 16, 0, ("天度村",)),
    TownSpec("610324101", "午井镇", "town", "wujing", (107.985, 34.355), 15, 0, ("午井村",)),
    TownSpec("610324102", "绛帐镇", "town", "jiangzhang", (108.000, 34.270), 15, 0, ("绛帐村",)),
    TownSpec("610324103", "段家镇", "town", "duanjia", (107.800, 34.325), 13, 0, ("段家村",)),
    TownSpec("610324104", "杏林镇", "town", "xinglin", (107.890, 34.262), 14, 0, ("杏林村",)),
    TownSpec("610324105", "召公镇", "town", "zhaogong", (107.805, 34.445), 15, 0, ("召公村",)),
    TownSpec("610324106", "法禧镇", "town", "faxi", (107.945, 34.445), 14, 0, ("法禧村",)),
)

# Lists as space-separated text (noqa SIM905): as list literals they would run to 200 lines.
SURNAMES = (  # noqa: SIM905
    "王 李 张 刘 杨 赵 陈 马 高 周 吴 郭 孙 罗 何 宋 谢 韩 冯 邓 曹 彭 田 董 袁 蔡 蒋 杜 程 魏 "
    "苏 吕 丁 任 卢 姚 姜 崔 范 石 贾 夏 付 白 孟 秦 侯 薛 闫 段 雷 史 贺 郝 武 严 孔 常 康 乔 "
    "樊 党 强 屈 寇 权 巨 景 惠 翟 宁 邵 纪 柳 尚 车 牛 安 鲁 许 庞 左 祝 庄 齐 宫"
).split()

GIVEN_NAMES = (  # noqa: SIM905
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 辉 鹏 华 飞 斌 宁 婷 欣 健 琳 "
    "秀英 桂英 建华 建国 红梅 海燕 文博 子涵 浩然 欣怡 晓东 志强 永红 春梅 宏伟 国庆 卫东 小兵 "
    "丽娟 玉兰 秀兰 金花 宝林 振华 建军 利民 爱民 新民 少华 亚楠 婷婷 佳琪 思远 雨轩 宇航 晨阳 "
    "梦瑶 俊杰 建平 秀梅 淑芳 红霞 文娟 晓燕 世杰 海军 立新 永强 小红 凤英 增民 社教 孝文 引娣"
).split()

# Village name parts: "王家村", "东堡村", "马庄村", "永丰村" are the usual shapes on the Guanzhong plain.
_DIRECTIONS = tuple("东西南北上下前后中新")
_FEATURES = tuple("堡坡沟庄塬寨营坊河湾岭桥渠窑")
_WORDS = (  # noqa: SIM905
    "永丰 和平 兴隆 新兴 太平 青龙 白龙 黄堆 官务 双庙 三合 五星 胜利 红旗 凤鸣 飞凤 美阳 "
    "齐家 云塘 庄白 召陈 案板 龙渠 姜嫄 高望 建和 丰收 杜城 伏波 益店 龙泉 长命 "
    "万家 大营 小营 古水 原上 岐阳 周原 西岐 漆水 黄甫 樊家 东风 西庄"
).split()


def village_names(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """`count` generated village names, none in `taken` (which they are added to)."""
    names: list[str] = []
    while len(names) < count:
        pattern = rng.integers(0, 4)
        if pattern == 0:
            name = f"{rng.choice(SURNAMES)}家村"
        elif pattern == 1:
            name = f"{rng.choice(_DIRECTIONS)}{rng.choice(_FEATURES)}村"
        elif pattern == 2:
            name = f"{rng.choice(SURNAMES)}庄村"
        else:
            name = f"{rng.choice(_WORDS)}村"
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def person_name(rng: np.random.Generator) -> str:
    return f"{rng.choice(SURNAMES)}{rng.choice(GIVEN_NAMES)}"


def grid_name(village_name: str, number: int) -> str:
    return f"{village_name}第{number}网格"


def micro_grid_name(village_name: str, grid_number: int, number: int) -> str:
    return f"{village_name}第{grid_number}网格第{number}微网格"
