"""The finished plan as one self-contained HTML page that reads well on a phone and prints on A4.

Inline CSS only: no fonts, scripts, images or stylesheets from elsewhere, so the file opens offline in any
browser. Words come from the same `campaign.*` locale keys as the Markdown document; user text is escaped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bot.campaign.choices import name_of
from bot.campaign.display import (
    choice_label,
    format_answer,
    format_date,
    format_range,
    hours_text,
    localize_digits,
    step_label,
)

if TYPE_CHECKING:
    from bot.campaign.calendar import Post, Week
    from bot.campaign.plan import Plan

TELEGRAM_LINK = "https://t.me/{bot}?start=a-{article}"  # opens the article in the bot (/start a-<id>)

STYLE = """
:root { color-scheme: light dark; --ink: #1c1f23; --soft: #5b6470; --line: #d5dae1; --card: #f6f8fa; --accent: #0b6e4f; }
@media (prefers-color-scheme: dark) {
  :root { --ink: #e8eaed; --soft: #a9b1bb; --line: #3a4049; --card: #1f2329; --accent: #5fd1a5; }
  body { background: #121417; }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0 auto; padding: 1rem; max-width: 46rem; color: var(--ink);
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Bengali", "Noto Sans Thai",
    "Noto Nastaliq Urdu", "Noto Naskh Arabic", Tahoma, sans-serif;
  font-size: 1rem; line-height: 1.6; overflow-wrap: anywhere; word-break: normal;
}
html[dir="rtl"] body { line-height: 2; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: 0 0 0.25rem; }
h2 { font-size: 1.15rem; margin: 1.75rem 0 0.5rem; padding-bottom: 0.25rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1rem; margin: 0; }
p { margin: 0.4rem 0; }
ul, ol { margin: 0.4rem 0; padding-inline-start: 1.4rem; }
li { margin: 0.2rem 0; }
a { color: var(--accent); }
blockquote { margin: 0.5rem 0; padding: 0.5rem 0.9rem; border-inline-start: 4px solid var(--accent); background: var(--card); }
.tip { color: var(--soft); font-size: 0.95rem; }
.week { margin: 0.75rem 0; padding: 0.75rem 0.9rem; border: 1px solid var(--line); border-radius: 0.6rem; background: var(--card);
  break-inside: avoid; page-break-inside: avoid; }
.week h3 { display: flex; flex-wrap: wrap; gap: 0 0.6rem; }
.week .dates { font-weight: normal; color: var(--soft); }
.week .theme { font-weight: 600; color: var(--accent); }
.posts { list-style: none; padding: 0; }
.posts li { display: flex; flex-wrap: wrap; gap: 0 0.6rem; padding: 0.3rem 0; border-top: 1px solid var(--line); }
.posts .day { font-weight: 600; min-width: 7.5rem; }
.check { color: var(--soft); }
.reading { list-style: none; padding: 0; }
.reading li::before { content: "☐"; margin-inline-end: 0.5rem; }
footer { margin-top: 2rem; color: var(--soft); font-size: 0.9rem; }
@media print {
  @page { size: A4; margin: 15mm; }
  :root { --ink: #000; --soft: #444; --line: #999; --card: #fff; --accent: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; background: #fff; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .week, blockquote, li { break-inside: avoid; page-break-inside: avoid; }
  a { text-decoration: none; }
}
"""


def plan_html(plan: Plan, bot_username: str | None = None) -> str:
    """The whole plan as an HTML page; reading-list titles link to the bot's articles when its username is known."""
    return _Page(plan, bot_username).render()


def article_link(bot_username: str, article_id: str) -> str:
    """Telegram deep link that opens a library article in the bot."""
    return TELEGRAM_LINK.format(bot=quote(bot_username.lstrip("@"), safe=""), article=quote(article_id, safe=""))


class _Page:
    def __init__(self, plan: Plan, bot_username: str | None) -> None:
        self.plan = plan
        self.locales = plan.locales
        self.lang = plan.lang
        self.bot_username = bot_username or None

    def t(self, key: str, **params: Any) -> str:
        return self.locales.text(self.lang, key, **params)

    def fill(self, key: str, **parts: str) -> str:
        """A locale template as HTML: its own words escaped, each part (already HTML) put in its place."""
        tokens = {name: f"\x00{index}\x00" for index, name in enumerate(parts)}
        text = html.escape(self.t(key, **tokens))
        for name, token in tokens.items():
            text = text.replace(token, parts[name])
        return text

    def answer(self, step: str) -> str:
        return html.escape(format_answer(step, self.plan.answers, self.locales, self.lang))

    def label(self, step: str) -> str:
        return step_label(step, self.locales, self.lang)

    def render(self) -> str:
        direction = self.locales.languages[self.lang].direction if self.lang in self.locales.languages else "ltr"
        name = f"<bdi>{html.escape(str(self.plan.answers.get('name', '')))}</bdi>"
        sections = [
            self.section(self.label("problem"), f"<p>{self.answer('problem')}</p>"),
            self.section(self.label("audience"), f"<p>{self.answer('audience')}</p>"),
            self.section(self.label("platforms"), self.items("platforms")),
            self.section(self.label("message"), f'<blockquote dir="auto">{self.answer("message")}</blockquote>'),
            self.section(self.label("formats"), self.items("formats")),
            self.section(self.t("campaign.plan.timing"), f"<p>{html.escape(self.plan.timing())}</p>"),
            self.section(self.t("campaign.plan.calendar"), "\n".join(self.week(week) for week in self.plan.weeks), "calendar"),
            self.section(
                self.label("metrics"),
                self.items("metrics") + f'\n<p class="tip">{html.escape(self.t("campaign.plan.metrics_tip"))}</p>',
            ),
            self.section(self.t("campaign.plan.moderation"), f"<p>{self.moderation()}</p>"),
        ]
        if self.plan.checklist:
            sections.append(self.section(self.t("campaign.plan.checklist"), self.reading_list()))
        return "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{html.escape(self.lang)}" dir="{direction}">',
                "<head>",
                '<meta charset="utf-8">',
                '<meta name="viewport" content="width=device-width, initial-scale=1">',
                f"<title>{html.escape(self.plan.title)}</title>",
                f"<style>{STYLE}</style>",
                "</head>",
                "<body>",
                "<header>",
                f"<h1>{self.fill('campaign.plan.title', name=name)}</h1>",
                "</header>",
                "<main>",
                *sections,
                "</main>",
                f"<footer>{html.escape(self.t('campaign.plan.footer'))}</footer>",
                "</body>",
                "</html>",
                "",
            ]
        )

    def section(self, heading: str, body: str, css: str = "part") -> str:
        return f'<section class="{css}">\n<h2>{html.escape(heading)}</h2>\n{body}\n</section>'

    def items(self, step: str) -> str:
        values: Iterable[str] = self.plan.answers.get(step) or []
        return _list("ul", [self.choice(step, value) for value in values])

    def choice(self, step: str, value: str) -> str:
        """A choice's label as HTML; one the user named, isolated, as it may be in another script (Urdu pages)."""
        label = html.escape(choice_label(step, value, self.locales, self.lang))
        return f"<bdi>{label}</bdi>" if name_of(value) is not None else label

    def moderation(self) -> str:
        """The moderation line, with the moderator's name isolated so it reads right in either direction."""
        time = hours_text(int(self.plan.answers["response_time"]), self.locales, self.lang)
        moderator = self.plan.answers.get("moderator")
        if not moderator:
            return html.escape(self.plan.moderation())
        return self.fill("campaign.plan.moderation_line", moderator=f"<bdi>{html.escape(str(moderator))}</bdi>", time=html.escape(time))

    def week(self, week: Week) -> str:
        """One week as a card: number, dates, theme, every post, and the check-in reminder."""
        number = localize_digits(self.t("campaign.plan.week", number=week.number), self.locales, self.lang)
        dates = format_range(week.start, week.end, self.locales, self.lang)
        lines = [
            f'<section class="week" id="week-{week.number}">',
            f'<h3><span class="number">{html.escape(number)}</span> <span class="dates">{html.escape(dates)}</span></h3>',
            f'<p class="theme">{html.escape(self.t(f"campaign.theme.{week.theme}"))}</p>',
            _list("ol", [self.post(post) for post in week.posts], "posts"),
        ]
        if week.check_in:
            lines.append(f'<p class="check">📊 {html.escape(self.t("campaign.plan.check_in"))}</p>')
        lines.append("</section>")
        return "\n".join(lines)

    def post(self, post: Post) -> str:
        day = format_date(post.day, self.locales, self.lang, with_year=False)
        kind = self.fill(
            "campaign.plan.platform_format",
            platform=self.choice("platforms", post.platform),
            format=self.choice("formats", post.format),
        )
        return f'<span class="day">{html.escape(day)}</span> <span class="kind">{kind}</span>'

    def reading_list(self) -> str:
        """Library articles to read before launch, each a link into the bot when its username is known."""
        if self.bot_username is None:
            return _list("ul", [html.escape(title) for _, title in self.plan.checklist], "reading")
        links = [
            f'<a href="{html.escape(article_link(self.bot_username, article_id))}">{html.escape(title)}</a>'
            for article_id, title in self.plan.checklist
        ]
        hint = f'<p class="tip">{html.escape(self.t("campaign.plan.checklist_links"))}</p>'
        return _list("ul", links, "reading") + "\n" + hint


def _list(tag: str, items: list[str], css: str = "") -> str:
    """An HTML list of items that are already HTML."""
    attribute = f' class="{css}"' if css else ""
    return f"<{tag}{attribute}>" + "".join(f"\n<li>{item}</li>" for item in items) + f"\n</{tag}>"
