"""Personal data in free text: phone numbers in each written form, ID numbers, e-mail addresses and
Chinese names are masked before a text is shown to a third party; ordinary text is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gridgov.core.pii import CHINESE_SURNAMES, redact_text


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("电话13812345678", "电话***********"),
        ("电话138.1234.5678", "电话***.****.****"),
        ("电话(139)8765-4321", "电话(***)****-****"),
        ("电话（139）8765-4321", "电话（***）****-****"),
        ("电话137/1111/2222", "电话***/****/****"),
        ("打我电话 138 1234 5678", "打我电话 *** **** ****"),
        ("电话138-1234-5678", "电话***-****-****"),
        ("电话+86 13812345678", "电话+** ***********"),
        ("电话+86-138-1234-5678", "电话+**-***-****-****"),
        ("电话008613812345678", "电话***************"),
        ("电话１３８１２３４５６７８", "电话***********"),
        ("座机029-12345678", "座机***-********"),
        ("座机(029)12345678", "座机(***)********"),
        ("座机0917-1234567", "座机****-*******"),
        ("座机029 8888 6666", "座机*** **** ****"),
        ("家里电话8765432", "家里电话*******"),
    ],
)
def test_phone_numbers_are_masked_in_every_common_form(text, redacted):
    # when / then
    assert redact_text(text) == redacted


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("身份证号61032419900101123X", "身份证号******************"),
        ("身份证号610324199001011234。", "身份证号******************。"),
        ("身份证号610324 19900101 123x", "身份证号****** ******** ****"),
        ("身份证号610324-19900101-1234", "身份证号******-********-****"),
    ],
)
def test_id_numbers_are_masked_with_their_check_character(text, redacted):
    # when / then
    assert redact_text(text) == redacted


def test_e_mail_addresses_are_masked():
    # when / then
    assert redact_text("邮箱zhang.san@example.com，请回复") == "邮箱*@*，请回复"


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("独居老人杨某行动不便，子女在外务工", "独居老人杨*行动不便，子女在外务工"),
        ("杨某与高某两家因滴水檐争执", "杨*与高*两家因滴水檐争执"),
        ("欧阳某某反映", "欧阳*反映"),
        ("王某某家门口积水", "王*家门口积水"),
        ("王大爷家门口的路灯坏了", "王*家门口的路灯坏了"),
        ("李阿姨说垃圾三天没人收", "李*说垃圾三天没人收"),
        ("请张师傅来修", "请张*来修"),
        ("张三先生来电", "张*来电"),
        ("张三书记已到现场", "张*书记已到现场"),
        ("王主任答应处理", "王*主任答应处理"),
        ("村民张三反映路灯坏了", "村民张*反映路灯坏了"),
        ("居民王小明称楼道灯坏了", "居民王*称楼道灯坏了"),
        ("当事人李四家门前", "当事人李*家门前"),
        ("网格员张三说已上报", "网格员张*说已上报"),
        ("民警王某到场", "民警王*到场"),
        ("谢书记来了", "谢*书记来了"),
    ],
)
def test_chinese_names_keep_only_their_surname(text, redacted):
    # when / then
    assert redact_text(text) == redacted


def test_the_reporter_s_own_name_is_masked_wherever_it_is():
    # when
    redacted = redact_text("我是张小红，小红家门口的路灯不亮", names=["张小红"])
    # then
    assert redacted == "我是张*，*家门口的路灯不亮"
    assert "小红" not in redacted


def test_a_latin_reporter_name_is_masked_too():
    # when / then
    assert redact_text("John Smith reports a pothole", names=["John Smith"]) == (
        "J* reports a pothole"
    )


@pytest.mark.parametrize(
    "text",
    [
        "城关街道第1村第1网格微网格1的路灯不亮",
        "王家村村口道路塌陷",
        "王庄村主任办公室门口积水",
        "3组5号门前垃圾未清运，已有2天",
        "2026-11-28上午，路面塌陷约3平方米",
        "村委会门口的路灯不亮",
        "学校附近路段车速快，接送学生时段存在安全隐患",
        "感谢网格员及时处理",
        "由于主任不在，明天再办",
        "新任村长已到岗",
        "Street light out at the bridge",
    ],
)
def test_ordinary_text_is_left_alone(text):
    # when / then
    assert redact_text(text) == text


@given(
    surname=st.sampled_from(CHINESE_SURNAMES),
    phone=st.from_regex(r"1[3-9]\d{9}", fullmatch=True),
    separator=st.sampled_from(["", " ", "-", ".", "/"]),
)
def test_no_phone_or_surname_with_mou_survives(surname, phone, separator):
    # given
    written = separator.join([phone[:3], phone[3:7], phone[7:]])
    # when
    redacted = redact_text(f"{surname}某的电话是{written}。")
    # then
    assert redacted.startswith(f"{surname}*的电话是")
    assert not any(char.isdigit() for char in redacted)
