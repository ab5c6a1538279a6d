"""render_markdown keeps Markdown and neutralises every XSS vector we know of."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from core.text import (
    balance_bidi_controls,
    clean_line,
    clean_text,
    excerpt,
    html_to_text,
    render_markdown,
)

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<object data=javascript:alert(1)></object>",
    "<embed src=javascript:alert(1)>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<body onload=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<a href=javascript:alert(1)>x</a>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<link rel=stylesheet href=javascript:alert(1)>",
    "<base href=javascript:alert(1)//>",
    "<div style=background:url(javascript:alert(1))>x</div>",
    '<p title="x" onmouseover="alert(1)">hover</p>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "![x](javascript:alert(1))",
    '![x"onerror="alert(1)](https://example.org/x.png)',
    '[x](https://example.org "a" onmouseover="alert(1)")',
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<https://example.org/"onmouseover="alert(1)>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "<!--<script>alert(1)</script>-->",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
]

SAFE_TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
             "code", "pre", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody",
             "tr", "th", "td"}  # fmt: skip
SAFE_URL = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)


class _Inspector(HTMLParser):
    """Collects what a browser would actually see as elements and attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in SAFE_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc", "formaction"}:
                self.problems.append(f"attribute {name}")
            if name == "href" and not SAFE_URL.match((value or "").strip()):
                self.problems.append(f"href {value!r}")


def problems_in(rendered: str) -> list[str]:
    inspector = _Inspector()
    inspector.feed(rendered)
    inspector.close()
    return inspector.problems


@pytest.mark.parametrize("source", XSS_VECTORS)
def test_render_markdown_neutralises_xss_vector(source):
    rendered = str(render_markdown(source))
    assert problems_in(rendered) == [], rendered


def test_the_corpus_has_at_least_forty_vectors():
    assert len(XSS_VECTORS) >= 40


def test_markdown_structure_survives_sanitising():
    source = (
        "## Kop\n\n*nadruk* en **vet**\n\n- een\n- twee\n\n1. eerst\n2. dan\n\n"
        "> een citaat\n\n`code` en\n\n```\nblok\n```\n\n[JEP](https://www.example.nl/jep)"
    )
    html = str(render_markdown(source))
    for fragment in ("<h2>Kop</h2>", "<em>nadruk</em>", "<strong>vet</strong>", "<ul>", "<ol>",
                     "<blockquote>", "<code>code</code>", "<pre><code>blok"):  # fmt: skip
        assert fragment in html
    assert '<a href="https://www.example.nl/jep" rel="nofollow noopener ugc">JEP</a>' in html


def test_bare_urls_are_linked_with_rel_nofollow():
    html = str(render_markdown("Zie https://www.nji.nl voor meer."))
    assert 'href="https://www.nji.nl"' in html
    assert 'rel="nofollow noopener ugc"' in html


def test_raw_html_is_shown_as_text():
    assert "&lt;b&gt;" in str(render_markdown("<b>vet</b>"))


def test_clean_text_removes_nul_and_control_characters():
    assert clean_text("a\x00b\x07c\r\nd\te") == "abc\nd\te"


def test_html_to_text_and_excerpt():
    assert html_to_text("<p>Een &amp; twee</p><p>drie</p>") == "Een & twee drie"
    assert excerpt("woord " * 100, 20).endswith("…")
    assert len(excerpt("woord " * 100, 20)) <= 21


RLO, LRO, RLE, PDF = "\u202e", "\u202d", "\u202b", "\u202c"
RLI, FSI, PDI = "\u2067", "\u2068", "\u2069"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _is_balanced(line: str) -> bool:
    depth = []
    for char in line:
        if char in "\u202a\u202b\u202d\u202e":
            depth.append(PDF)
        elif char in "\u2066\u2067\u2068":
            depth.append(PDI)
        elif char in (PDF, PDI) and (not depth or depth.pop() != char):
            return False
    return not depth


@pytest.mark.parametrize(
    "title",
    [f"Factuur {RLO}fdp.exe", f"{LRO}Agenda{PDF}", f"{RLI}x{PDI} y", f"a{PDF}{PDI}b{RLE}"],
)
def test_one_line_text_loses_every_directional_override_and_isolate(title):
    assert not BIDI & set(clean_line(title))


def test_one_line_text_keeps_right_to_left_letters_and_marks():
    assert clean_line("  مرحبا\u200f  wereld ") == "مرحبا\u200f wereld"


@pytest.mark.parametrize(
    "body",
    [
        f"Een {RLO}omgekeerde tekst\nen de volgende regel",
        f"{PDF}{PDI} sluiters zonder opener",
        f"{RLI}geïsoleerd{PDI} en {LRO}open",
        f"{RLE}{RLI}door elkaar{PDF}{PDI}",
    ],
)
def test_in_bodies_every_line_closes_what_it_opens(body):
    result = balance_bidi_controls(body)
    assert all(_is_balanced(line) for line in result.split("\n"))


def test_balanced_directional_text_in_a_body_is_kept_as_written():
    body = f"Naam: {RLI}محمد{PDI}."
    assert balance_bidi_controls(body) == body


def test_rendered_markdown_cannot_flip_the_text_after_a_post():
    html = str(render_markdown(f"Hallo {RLO}wereld\n\n{PDF}{PDF}Tweede alinea"))
    for paragraph in re.findall(r"<p>(.*?)</p>", html, re.DOTALL):
        assert _is_balanced(paragraph), paragraph


def test_an_excerpt_cut_inside_an_override_closes_it():
    text = f"{RLO}" + "woord " * 100
    assert _is_balanced(excerpt(text, 50))
