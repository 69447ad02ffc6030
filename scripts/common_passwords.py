"""Regenerate ``src/wa_agents/domain/model/common_passwords.txt`` offline.

The list is built from the patterns people actually use (a common word or name, then a
number, a year or a symbol; keyboard walks; repeated and sequential digits), lower-cased and
kept only when long enough to pass the length rule (shorter ones fail that rule anyway).
Run: ``python scripts/common_passwords.py``.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/wa_agents/domain/model/common_passwords.txt"
MIN_LENGTH = 8

WORDS = """
password passw0rd p@ssword p@ssw0rd pass qwerty qwertyui qwertyuiop asdfgh asdfghjk asdfghjkl
zxcvbn zxcvbnm admin administrator root toor user guest login welcome letmein changeme secret
iloveyou loveyou lovely love monkey dragon master shadow sunshine princess football baseball
basketball soccer hockey superman batman spiderman starwars pokemon charlie michael jennifer
jordan hunter ranger buster thomas robert daniel andrew joshua matthew anthony william michelle
jessica ashley amanda nicole samantha melissa hannah maria carlos lucas gabriel rafael pedro
juliana fernanda beatriz camila amanda flamengo corinthians palmeiras santos saopaulo brasil
brazil mexico london berlin paris america freedom whatever trustno1 access computer internet
google facebook whatsapp instagram twitter youtube apple samsung iphone android microsoft
windows linux server office company business manager summer winter spring autumn monday friday
cookie cheese chocolate coffee banana orange purple yellow silver golden diamond killer
pepper ginger tigger hello hello1 test tester testing default system backup support service
family friends forever angel angels heaven blessed jesus christ faith matrix ninja pirate
mustang ferrari porsche mercedes corvette harley yamaha honda toyota nissan chelsea arsenal
liverpool barcelona madrid juventus milan qazwsx qweasd qweasdzxc abc abcd abcdef abcdefg
""".split()  # noqa: SIM905 - a word list reads best as text

SUFFIXES = [
    "",
    "1",
    "12",
    "123",
    "1234",
    "12345",
    "123456",
    "!",
    "!!",
    "1!",
    "123!",
    "@123",
    "#1",
    "01",
    "007",
    "69",
    "99",
    "00",
    "11",
    "22",
    "321",
    "2000",
    "1990",
    "1999",
    *(str(year) for year in range(2010, 2031)),
    *(f"{year}!" for year in range(2010, 2031)),
    *(f"@{year}" for year in range(2015, 2031)),
]

KEYBOARD = [
    "1q2w3e4r",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "1qaz2wsx",
    "1qaz2wsx3edc",
    "zaq12wsx",
    "zaq1zaq1",
    "qazwsxedc",
    "qwer1234",
    "asdf1234",
    "zxcv1234",
    "q1w2e3r4",
    "q1w2e3r4t5",
    "a1b2c3d4",
    "1a2b3c4d",
    "qwertyuiop",
    "poiuytrewq",
    "mnbvcxz1",
    "asdfqwer",
    "123qwe123",
    "123qweasd",
    "qwe123qwe",
    "!qaz2wsx",
    "1qazxsw2",
    "2wsx3edc",
    "password!",
    "abcd1234",
    "abc12345",
    "aa123456",
    "a1234567",
    "a12345678",
    "qwerty1!",
    "12qwaszx",
    "1234qwer",
]


def numeric() -> set[str]:
    found = {str(d) * n for d in range(10) for n in range(MIN_LENGTH, 13)}
    digits = "01234567890123456789"
    found |= {digits[i : i + n] for i in range(10) for n in range(MIN_LENGTH, 11)}
    back = "98765432109876543210"
    found |= {back[i : i + n] for i in range(10) for n in range(MIN_LENGTH, 11)}
    found |= {
        f"{d:02d}{m:02d}{y}"
        for d in (1, 10, 12, 20, 25)
        for m in (1, 6, 12)
        for y in range(1970, 2011)
    }
    found |= {"12341234", "11223344", "12121212", "69696969", "13131313", "11112222"}
    return found


def generate() -> list[str]:
    found = set(KEYBOARD) | numeric()
    for word in WORDS:
        for variant in {word, word.capitalize()}:
            for suffix in SUFFIXES:
                found.add((variant + suffix).lower())
        found.add(word.lower() + word.lower())
    return sorted(p for p in found if MIN_LENGTH <= len(p) <= 128)


if __name__ == "__main__":
    passwords = generate()
    OUT.write_text("\n".join(passwords) + "\n")
    print(f"{len(passwords)} passwords written to {OUT}")
