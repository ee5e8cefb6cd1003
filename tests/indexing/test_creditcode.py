"""统一社会信用代码 check characters (GB 32100-2015)."""

from __future__ import annotations

import random

import pytest

from indexing.creditcode import ALPHABET, WEIGHTS, check_digit, find_codes, is_valid

# Codes of well-known companies as published in their own filings.
KNOWN_VALID = [
    "91110000802100433B",  # 联想(北京)有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "914403001922038216",  # 华为技术有限公司
]


def test_weights_are_the_standard_table() -> None:
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY" and len(ALPHABET) == 31


def test_hand_worked_example() -> None:
    # 91110000802100433B, worked by hand:
    # values   9 1 1  1  0  0  0  0  8  0  2  1 0  0  4  3  3
    # weights  1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28
    # products 9+3+9+27+0+0+0+0+160+0+50+13+0+0+40+90+84 = 485
    # 485 mod 31 = 20; 31 - 20 = 11; ALPHABET[11] = "B"
    assert check_digit("91110000802100433") == "B"


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_known_codes_are_valid(code: str) -> None:
    assert is_valid(code)
    assert check_digit(code[:17]) == code[17]


@pytest.mark.parametrize("code", KNOWN_VALID)
def test_any_single_substitution_is_caught(code: str) -> None:
    # A mod-31 weighted sum detects every single-character error.
    for i in range(18):
        for ch in ALPHABET:
            if ch != code[i]:
                assert not is_valid(code[:i] + ch + code[i + 1 :]), (code, i, ch)


def test_check_zero_when_sum_is_a_multiple_of_31() -> None:
    # Find a body whose weighted sum is divisible by 31: the check char is "0", not "31".
    rng = random.Random(7)
    while True:
        body = "91" + "".join(rng.choice(ALPHABET) for _ in range(15))
        if sum(ALPHABET.index(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 31 == 0:
            break
    assert check_digit(body) == "0"
    assert is_valid(body + "0")


@pytest.mark.parametrize(
    "bad",
    ["", "91110000802100433", "91110000802100433BB", "91110000802100433b", "9111000080210O433B",
     "91110000802100I33B", "91110000-802100433", None, 91110000802100433],
)
def test_invalid_shapes(bad) -> None:
    assert not is_valid(bad)


def test_check_digit_rejects_bad_bodies() -> None:
    with pytest.raises(ValueError, match="17 characters"):
        check_digit("123")
    with pytest.raises(ValueError, match="not in"):
        check_digit("9111000080210043I")


def test_find_codes_in_text() -> None:
    text = (
        "统一社会信用代码：91110000802100433B；另一家 91440300708461136t（小写也算），"
        "伪造的 91110000802100433C 不算，粘连的 X91110108551385082Q 与 91110108551385082Q1 也不算。"
        "重复 91110000802100433B。"
    )
    assert find_codes(text) == ["91110000802100433B", "91440300708461136T"]
    assert find_codes("") == []
