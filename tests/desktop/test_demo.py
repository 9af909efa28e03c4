"""The demo vault's passphrase (desktop.demo.demo_passphrase): shown once, random, never reused."""

from __future__ import annotations

import random
import re

from desktop.demo import demo_passphrase
from desktop.vault.passphrase import require_strong

FORMAT = re.compile(r"demo-[a-z]{4}-[a-z]{4}-[a-z]{4}-[a-z]{4}")


def test_format():
    for _ in range(50):
        passphrase = demo_passphrase()
        assert FORMAT.fullmatch(passphrase), passphrase
        assert len(passphrase) == 24


def test_every_one_is_different_and_the_letters_are_spread():
    drawn = [demo_passphrase() for _ in range(500)]
    assert len(set(drawn)) == len(drawn)
    letters = "".join(p.removeprefix("demo-").replace("-", "") for p in drawn)
    assert set(letters) == set("abcdefghijklmnopqrstuvwxyz")  # 8000 draws: every letter appears
    assert len({p[5:9] for p in drawn}) > 400  # the groups vary independently, too


def test_not_from_the_seedable_random_module():
    random.seed(2024)
    first = demo_passphrase()
    random.seed(2024)
    assert demo_passphrase() != first


def test_strong_enough_for_a_vault():
    for _ in range(5):
        require_strong(demo_passphrase())  # raises PassphraseRefused when it is not
