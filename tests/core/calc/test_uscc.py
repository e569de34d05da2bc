import pytest

from cpaudit.calc.uscc import CHARSET, WEIGHTS, check_character, org_code_check, validate_uscc

VALID = ["9144030071526726XG", "91110000600037341L"]


def test_weights_match_reference():
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@pytest.mark.parametrize("code", VALID)
def test_valid_examples(code):
    r = validate_uscc(code)
    assert r.valid and r.kind == "uscc" and r.rule is None
    assert validate_uscc(code.lower()).valid  # normalised to upper case
    assert validate_uscc(f" {code[:9]} {code[9:]} ").valid


@pytest.mark.parametrize("code", VALID)
def test_every_single_character_mutation_fails(code):
    checked = 0
    for pos in range(18):
        for c in CHARSET + "IOZSV*":
            if c == code[pos]:
                continue
            mutated = code[:pos] + c + code[pos + 1:]
            r = validate_uscc(mutated)
            assert not r.valid, mutated
            assert r.rule == ("uscc.charset" if c not in CHARSET else "uscc.checksum")
            checked += 1
    assert checked == 18 * 36  # 30 other symbols + I O Z S V * per position


def test_checksum_result_names_expected_character():
    r = validate_uscc("9144030071526726XH")
    assert r.rule == "uscc.checksum" and r.expected_check == "G" and check_character("9144030071526726X") == "G"


def test_length_and_legacy():
    assert validate_uscc("9144030071526726X").rule == "uscc.length"
    # the organisation codes embedded in the two examples (positions 9–17)
    assert org_code_check("71526726") == "X" and org_code_check("60003734") == "1"
    r = validate_uscc("71526726-X")
    assert (r.valid, r.kind, r.rule) == (False, "legacy_org_code", "legacy.org_code")
    assert validate_uscc("715267261").rule == "legacy.org_code_checksum"
    r = validate_uscc("440301000012345")
    assert (r.valid, r.kind) == (False, "legacy_reg_no")
