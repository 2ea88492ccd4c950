from calc import mul


def test_mul() -> None:
    assert mul(2, 3) == 6
