"""The word-facts view: an async view that answers with the facts about a word, as JSON."""

import json

import pytest

# What a child types on the tablet: plain letters, accented letters, and now and then a
# stray symbol. JSON must carry every one of them back unchanged.
PLAIN = "abcdefghijklmnoprstuvwyz"
ACCENTED = "éèêàâçñøåäöüßłžœ"
# A symbol that breaks JSON built by hand, and one that HTML escaping would change.
BREAKS_JSON = ['"', "\\"]
CHANGED_BY_ESCAPING = ["<", ">", "&", "'"]


def random_word(rng, letters, length):
    return "".join(rng.choice(letters) for _ in range(length))


def palindrome(rng):
    half = random_word(rng, PLAIN + ACCENTED, rng.randint(2, 4))
    middle = rng.choice(["", rng.choice(PLAIN)])
    return half + middle + half[::-1]


def ordinary(rng):
    while True:
        word = random_word(rng, PLAIN, rng.randint(4, 9))
        if word != word[::-1]:
            return word


def accented(rng):
    # Capitalised, as a child types a name or the start of a sentence ("Crème"): it comes
    # back with its capital. Never a palindrome, even read without case, so that whether
    # "Kayak" counts as one is left open.
    while True:
        word = list(ordinary(rng))
        word[0] = word[0].upper()
        for _ in range(rng.randint(1, 3)):
            word[rng.randrange(1, len(word))] = rng.choice(ACCENTED)
        word = "".join(word)
        if word.lower() != word.lower()[::-1]:
            return word


def with_symbols(rng):
    word = list(ordinary(rng))
    for symbol in (rng.choice(BREAKS_JSON), rng.choice(CHANGED_BY_ESCAPING)):
        word.insert(rng.randint(0, len(word)), symbol)
    return "".join(word)


WORDS = {
    "palindrome": palindrome,
    "ordinary": ordinary,
    "accents": accented,
    "symbols": with_symbols,
}


def facts_about(word):
    return {"word": word, "letters": len(word), "palindrome": word == word[::-1]}


def declared_charset(content_type):
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def json_or_none(content):
    try:
        return json.loads(content)
    except ValueError:
        return None


def test_the_view_is_async(assert_async_view):
    assert_async_view("/words/kayak/")


async def test_answers_200(app, rng):
    word = ordinary(rng)
    response = await app.get(f"/words/{word}/")
    response.assert_status(200, "the facts about the word")


async def test_says_its_body_is_json(app, rng):
    word = ordinary(rng)
    response = await app.get(f"/words/{word}/")
    content_type = response.headers.get("content-type", "(none)")
    if not content_type.startswith("application/json"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}.\n"
            "Expected 'application/json': that header tells the app how to read the body.",
            pytrace=False,
        )
    charset = declared_charset(content_type)
    if charset not in (None, "utf-8", "utf8"):
        pytest.fail(
            f"{response.request_line} answered with Content-Type {content_type!r}.\n"
            "Expected JSON in UTF-8, the one encoding JSON travels in: the app reads the body "
            f"as {charset}, and a letter such as 'è' comes out garbled.",
            pytrace=False,
        )


@pytest.mark.parametrize("kind", WORDS)
async def test_body_is_the_facts_as_json(app, rng, kind):
    word = WORDS[kind](rng)
    expected = facts_about(word)
    response = await app.get(f"/words/{word}/")
    response.assert_status(200, "the facts about the word")
    body = json_or_none(response.content)
    if body is None:
        pytest.fail(
            f"{response.request_line} answered with a body that is not JSON:\n"
            f"    {response.text!r}\nExpected this JSON:\n    {json.dumps(expected, ensure_ascii=False)}",
            pytrace=False,
        )
    if body != expected:
        pytest.fail(
            f"{response.request_line} answered with this JSON:\n    {json.dumps(body, ensure_ascii=False)}\n"
            f"Expected:\n    {json.dumps(expected, ensure_ascii=False)}\n"
            "(The word must come back exactly as the child typed it.)",
            pytrace=False,
        )
