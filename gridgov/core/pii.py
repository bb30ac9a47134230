"""Personal data at rest: encrypted (Fernet), searchable by a keyed hash, masked in every response;
and personal data in free text, masked by `redact_text` before a third party reads it.

Reading a value in full is a separate, audited step (`reveal`): the model field hands out an
`EncryptedValue` whose `str()` is the masked form, so a template or serializer that forgets
about it still shows only the mask.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import phonenumbers
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.encode())


@lru_cache(maxsize=4)
def _hash_key(key: str) -> bytes:
    # A separate key for hashing, derived from the encryption key, so neither reveals the other.
    return hmac.new(key.encode(), b"gridgov-pii-search", hashlib.sha256).digest()


def encrypt(plain: str) -> str:
    return _fernet(settings.PII_KEY).encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.PII_KEY).decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ValueError("personal data cannot be decrypted with the configured key") from error


def search_hash(plain: str) -> str:
    """Keyed hash for exact search (a phone in E.164, an ID number upper-cased)."""
    normalized = plain.strip().upper()
    return hmac.new(_hash_key(settings.PII_KEY), normalized.encode(), hashlib.sha256).hexdigest()


def normalize_phone(raw: str) -> str | None:
    """A phone number as stored and hashed (E.164, mainland numbers by default), or None when it
    is not a valid number."""
    try:
        parsed = phonenumbers.parse(raw, "CN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def mask_phone(phone: str) -> str:
    digits = phone.removeprefix("+86")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str) -> str:
    if len(number) < 8:
        return "*" * len(number)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}"


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


MASKERS = {"phone": mask_phone, "id_number": mask_id_number, "name": mask_name}


class EncryptedValue:
    """A decrypted value that prints masked; `.reveal()` returns it in full (audit that call)."""

    __slots__ = ("_kind", "_plain")

    def __init__(self, plain: str, kind: str) -> None:
        self._plain = plain
        self._kind = kind

    def __str__(self) -> str:
        return MASKERS[self._kind](self._plain) if self._plain else ""

    def __repr__(self) -> str:
        return f"EncryptedValue({self!s})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EncryptedValue):
            return self._plain == other._plain
        return False

    def __hash__(self) -> int:
        return hash(self._plain)

    def __bool__(self) -> bool:
        return bool(self._plain)

    @property
    def masked(self) -> str:
        return str(self)

    def reveal(self) -> str:
        return self._plain


if TYPE_CHECKING:
    _FieldBase = models.Field[EncryptedValue | str, EncryptedValue]
else:
    _FieldBase = models.Field  # Django's Field is not subscriptable at run time


class EncryptedField(_FieldBase):
    """Stores Fernet ciphertext in a text column; Python side is an EncryptedValue (masked when
    printed)."""

    def __init__(self, *args: Any, kind: str = "phone", **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> EncryptedValue:
        return EncryptedValue(decrypt(value) if value else "", self.kind)

    def to_python(self, value: Any) -> EncryptedValue:
        if isinstance(value, EncryptedValue):
            return value
        return EncryptedValue(value or "", self.kind)

    def get_prep_value(self, value: Any) -> str:
        if isinstance(value, EncryptedValue):
            value = value.reveal()
        return encrypt(value) if value else ""


# Personal data in free text ------------------------------------------------------------------
#
# A description typed by a resident or a grid worker may name people and carry their numbers.
# Before such a text is shown to a third party (Open311), `redact_text` masks what looks like
# personal data. It errs on the side of masking: a date written as eight digits or a name-like
# word before a title may be masked too.

# Fullwidth digits and signs, mapped one to one so that positions in the text do not move.
_HALFWIDTH = str.maketrans(
    "０１２３４５６７８９（）＋－．／　",
    "0123456789()+-./ ",
)
_SEP = r"[ \t\-./·]?"
_NUMBER_PATTERNS = [
    # An ID number (GB 11643): 18 characters, the last may be X, in one piece or as 6-8-4.
    # First, so that no phone pattern takes a part of it.
    re.compile(r"(?<!\d)\d{6}[ \-]?\d{8}[ \-]?\d{3}[\dXx](?![\dA-Za-z])"),
    # A mobile number (11 digits from 13x to 19x), with a country code, brackets around its first
    # three digits, or any one separator between its digits: 138.1234.5678, (139)8765-4321,
    # 137/1111/2222, 138 1234 5678, +86 13812345678, 0086-138-1234-5678.
    re.compile(
        r"(?<!\d)(?:(?:\+|00)?86[ \-]?|\(\+?86\)[ \-]?)?\(?1[3-9]" + _SEP + r"\d\)?"
        r"(?:" + _SEP + r"\d){8}(?!\d)"
    ),
    # A landline with its area code: 029-12345678, (029)1234567, 0917 123 4567.
    re.compile(r"(?<!\d)\(?0\d{2,3}\)?[ \-]?\d{3,4}[ \-]?\d{4}(?!\d)"),
    # Anything else with seven digits in a row (a local number, a bank card, an account).
    re.compile(r"\d{7,}"),
]
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")

# The hundred or so most frequent Chinese surnames, roughly by frequency: a name found only by its
# context (村民张三, 张三书记) must start with one of these, since rarer surnames are also ordinary
# characters (时, 来, 和) and would mask ordinary words.
COMMON_SURNAMES: tuple[str, ...] = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔汤常康樊党屈寇权巨景惠翟宁纪柳尚车牛安鲁庞左祝庄齐宫乔"
)
# Common Chinese surnames, compound ones first: with 某 or a form of address after them
# (杨某, 王大爷) they are a name whatever the surname.
CHINESE_SURNAMES: tuple[str, ...] = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "皇甫",
    "令狐",
    "慕容",
    "司徒",
    "夏侯",
    "尉迟",
    *dict.fromkeys(
        COMMON_SURNAMES
        + tuple(
            "叶胡向伍庞颜倪聂章岳殷詹申欧耿关兰焦俞柳甘包符舒阮柯梅童凌毕单季裴霍涂成苗谷盛"
            "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕饶解牟艾尤阳时穆农司卓古吉缪简连芦麦褚娄"
            "窦戚岑费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫桑郎甄丛仲"
            "虞敖巩明佘池查麻苑迟邝官封谈匡鞠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满"
            "闻位厉伊仝区郜海阚花强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬"
            "来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银"
            "亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
        )
    ),
)
# Kinship and polite forms of address that follow a surname (王大爷, 李阿姨, 张师傅): masked
# with the name.
_HONORIFICS = (
    "老太太|大爷|大妈|大娘|大伯|大叔|大婶|大姐|大哥|大嫂|阿姨|阿婆|阿公|奶奶|爷爷|婆婆|"
    "老太|老汉|老伯|师傅|先生|女士|小姐|同志"
)
# Titles and trades that follow a name (张三书记, 王主任): kept after the masked name.
_TITLES = (
    "书记|主任|村长|组长|队长|主席|经理|老板|老师|医生|大夫|律师|会计|站长|所长|局长|镇长|乡长|县长"
)
# Words that end in a surname's character but are no name before a title: 感谢书记, 由于主任.
_WORDS_ENDING_IN_A_SURNAME = frozenset(
    {"感谢", "答谢", "由于", "关于", "对于", "至于", "属于", "等于", "新任", "现任", "原任", "担任"}
)
# Words after which a name follows (村民张三, 独居老人杨某, 当事人李四).
_BEFORE_NAME = (
    "村民|居民|群众|老人|住户|业主|户主|租户|房东|租客|患者|当事人|反映人|报案人|申请人|联系人|"
    "举报人|投诉人|家属|邻居|低保户|五保户|残疾人|店主|摊主|网格员|调解员|民警"
)
# Characters that end a name rather than belong to it: places, particles and common verbs, so
# that 王家村 stays a village and 村民张三反映 keeps its verb.
_NOT_IN_NAME = "某村庄镇乡街路组区队家楼号巷院室门口的了在和与及等因被向到于从对把要说称讲反投举报是有也都不已未又还将之们"
_HAN = r"[\u4e00-\u9fff]"
_GIVEN = rf"(?:(?![{_NOT_IN_NAME}]){_HAN})"
_ANY_SURNAME = "|".join(sorted(CHINESE_SURNAMES, key=len, reverse=True))
_COMMON_SURNAME = "|".join(COMMON_SURNAMES)
_NAME = re.compile(
    rf"(?P<surname>{_ANY_SURNAME})某某?"
    rf"|(?P<honoured>{_ANY_SURNAME}){_GIVEN}{{0,2}}?(?:{_HONORIFICS})"
    rf"|(?P<titled>{_COMMON_SURNAME}){_GIVEN}{{0,2}}?(?={_TITLES})"
    rf"|(?P<before>{_BEFORE_NAME})(?P<named>{_COMMON_SURNAME})(?:某某?|{_GIVEN}{{1,2}})"
)


def _masked_name(match: re.Match[str]) -> str:
    groups = match.groupdict()
    start = match.start()
    if groups["titled"] and match.string[max(0, start - 1) : start + 1] in (
        _WORDS_ENDING_IN_A_SURNAME
    ):
        return match.group()
    surname = next(groups[key] for key in ("surname", "honoured", "titled", "named") if groups[key])
    return f"{groups['before'] or ''}{surname}*"


def _mask_number_spans(text: str) -> str:
    """`text` with every digit (and an ID number's X) of a phone, ID or long number as `*`."""
    plain = text.translate(_HALFWIDTH)
    masked = list(text)
    for pattern in _NUMBER_PATTERNS:
        for match in pattern.finditer(plain):
            for index in range(match.start(), match.end()):
                if plain[index].isdigit() or plain[index] in "Xx":
                    masked[index] = "*"
        plain = "".join("*" if char == "*" else plain[i] for i, char in enumerate(masked))
    return "".join(masked)


def _mask_own_name(text: str, name: str) -> str:
    name = name.strip()
    if len(name) < 2:
        return text
    text = text.replace(name, f"{name[0]}*")
    given = name[2:] if name[:2] in CHINESE_SURNAMES else name[1:]
    if len(given) >= 2 and re.fullmatch(f"{_HAN}+", name):
        text = text.replace(given, "*")
    return text


def redact_text(text: str, *, names: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with personal data masked for a third party: phone numbers in their common written
    forms, ID numbers, e-mail addresses, Chinese names written as a surname with 某, with a form of
    address or a title after them, or after a word such as 村民 or 老人, and the given `names`
    (the reporter's own) wherever they occur. A name keeps its surname: 杨某 becomes 杨*."""
    for name in names:
        text = _mask_own_name(text, name)
    text = _EMAIL.sub(lambda match: "*@*", text)
    text = _mask_number_spans(text)
    return _NAME.sub(_masked_name, text)
