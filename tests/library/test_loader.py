from __future__ import annotations

from pathlib import Path

import pytest

from bot.library.loader import ContentError, load_library
from bot.library.model import SECTIONS

ARTICLE = """\
  - id: {id}
    title: {title}
    answer: |-
      {answer}
    steps:
      - Do one thing.
    tags: [alpha, beta]
    questions: [how do i alpha]
    related: [{related}]
    reviewed: 2026-11-20
"""


def write(root: Path, lang: str, section: str, body: str, title: str = "Title") -> Path:
    folder = root / lang / "library"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{section}.yml"
    path.write_text(f"section: {section}\ntitle: {title}\narticles:\n{body}", encoding="utf-8")
    return path


def article(id: str = "gs-one", title: str = "One", answer: str = "Short answer.", related: str = "gs-two") -> str:
    return ARTICLE.format(id=id, title=title, answer=answer, related=related)


def messages(error: ContentError) -> list[str]:
    return [str(f) for f in error.findings]


def test_real_library_loads_and_meets_the_content_brief(library_store) -> None:
    library = library_store.library
    for section in SECTIONS:
        assert library.count(section, "en") >= 5, section
    countries = {a.country for a in library.section_articles("case_studies") if a.country}
    assert len(countries) >= 8
    for case in library.section_articles("case_studies"):
        assert case.basis in ("composite", "documented") if case.country else case.basis is None, case.id
    assert len(countries) == 11


def test_good_files_load_with_translations_and_fallback_warnings(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article() + article("gs-two", title="Two", related="gs-one"))
    write(tmp_path, "bn", "getting_started", "  - id: gs-one\n    title: এক\n    answer: ছোট উত্তর।\n", title="শুরু")
    library, warnings = load_library(tmp_path, ["en", "bn"])
    assert library.article("gs-one").text("bn") == (library.article("gs-one").texts["bn"], False)
    text, fell_back = library.article("gs-two").text("bn")
    assert fell_back and text.title == "Two"
    assert any("gs-two" in str(w) and "bn translation" in str(w) for w in warnings)
    assert library.sections["getting_started"].title("bn") == "শুরু"


def test_unknown_related_id_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "getting_started", article(related="gs-missing"))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert any(f"{path}:" in m and "gs-missing" in m for m in messages(error.value))


def test_duplicate_ids_are_errors(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article(related="gs-one") + article(related="gs-one"))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert any("duplicate id 'gs-one'" in m for m in messages(error.value))


def test_bad_markup_is_reported_with_the_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "en", "getting_started", article(answer="Tips & tricks <b>bold", related=""))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    found = [m for m in messages(error.value) if "&amp;" in m]
    assert found and found[0].startswith(f"ERROR {path}:6:")  # the line of `answer:`


def test_answer_too_long_for_a_message_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article(answer="x" * 5000, related=""))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert any("too long for one Telegram message" in m for m in messages(error.value))


def test_long_but_sendable_answer_is_only_a_warning(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article(answer="y" * 900, related=""))
    _, warnings = load_library(tmp_path, ["en"])
    assert any("phone screen" in str(w) for w in warnings)


def test_schema_errors(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", "  - id: Bad_ID\n    answer: x\n")
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    text = "\n".join(messages(error.value))
    assert "lowercase letters" in text and "add `title:`" in text and "reviewed" in text


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    folder = tmp_path / "en" / "library"
    folder.mkdir(parents=True)
    (folder / "content.yml").write_text("section: content\ntitle: x\narticles:\n  - id: a\n   title: bad indent\n")
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert "content.yml:5" in messages(error.value)[0] or "content.yml:4" in messages(error.value)[0]


def test_translation_of_an_unknown_article_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article(related=""))
    write(tmp_path, "th", "getting_started", "  - id: gs-typo\n    title: x\n    answer: y\n")
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en", "th"])
    assert any("gs-typo" in m and "no English version" in m for m in messages(error.value))


def test_case_study_needs_a_basis(tmp_path: Path) -> None:
    write(tmp_path, "en", "case_studies", article("cs-one", related="").replace("reviewed:", "country: Nepal\n    reviewed:"))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert any("basis" in m for m in messages(error.value))


def test_colon_in_a_step_is_explained(tmp_path: Path) -> None:
    write(tmp_path, "en", "getting_started", article(related="").replace("- Do one thing.", "- Note: do one thing."))
    with pytest.raises(ContentError) as error:
        load_library(tmp_path, ["en"])
    assert any("double quotes" in m and "getting_started.yml:9" in m for m in messages(error.value))


@pytest.mark.parametrize(
    ("slip", "line", "advice"),
    [
        (lambda body: body.replace("    answer: |-", "     answer: |-", 1), 6, "indent"),  # answer: one space too far
        (lambda body: body.replace("title: Two", "title: Tip: two"), 15, "quotes"),  # an unquoted colon
        (lambda body: body.replace("    steps:", "\tsteps:", 1), 8, "tab"),
    ],
)
def test_a_yaml_slip_is_reported_alone_with_its_line_and_the_fix(tmp_path: Path, slip, line: int, advice: str) -> None:
    """Only the slip: not the ~35 "has no English version" or "related id does not exist" it would cause."""
    body = article(related="gs-two") + article("gs-two", title="Two", related="gs-one")
    path = write(tmp_path, "en", "getting_started", slip(body))
    write(tmp_path, "bn", "getting_started", "  - id: gs-one\n    title: এক\n    answer: ছোট উত্তর।\n", title="শুরু")
    with pytest.raises(ContentError) as caught:
        load_library(tmp_path, ["en", "bn"])
    [finding] = caught.value.findings
    assert (finding.path, finding.line) == (path, line), str(finding)
    assert advice in finding.message and "the line reads" in finding.message
