"""The bare ceiling for `make bench`: Flask with no extensions and no database rendering a
plain Jinja page with what the thread page shows — 20 posts, each with author, sector
badge, time, body HTML and one small form — in about the same volume of HTML.

Every page of the app is compared with this: it is what Flask, Jinja and gunicorn cost on
this machine before the app does anything of its own.

    gunicorn bench.bare:app
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask

BODY = (
    "<p>Wij zien dit ook bij ons op school. Wat hielp: een rustig gesprek met de mentor, "
    "samen met het wijkteam, en de ouders vroeg betrekken. Let op tegensignalen: een "
    "jongere die zich terugtrekt uit de klas, nieuwe vrienden online, en thuis weinig "
    "ruimte om te praten. Wij bellen dan eerst met de wijkagent en de jeugdhulp, en we "
    "spreken af wie het gesprek met de ouders voert.</p>"
    "<p>Wie heeft ervaring met een casusoverleg in het veiligheidshuis hierover?</p>"
)

PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – Platform JEP</title>
<link rel="stylesheet" href="/static/css/site.css"><script src="/static/js/site.js" defer></script>
</head>
<body>
<a class="skip-link" href="#main">Naar de inhoud</a>
<header class="site-header"><div class="wrap header-inner"><a class="brand" href="/">Platform JEP</a>
<form class="header-search" role="search" action="/search" method="get">
<label for="site-search" class="visually-hidden">Zoeken</label>
<input id="site-search" type="search" name="q" maxlength="600" placeholder="Zoek in gesprekken en bijeenkomsten">
<button type="submit">Zoeken</button></form>
<nav aria-label="Hoofdmenu"><ul class="nav-list">
{% for label, href in nav %}<li><a href="{{ href }}">{{ label }}</a></li>{% endfor %}
</ul></nav></div></header>
<main id="main" tabindex="-1"><div class="wrap">
<nav aria-label="Kruimelpad" class="breadcrumbs meta"><a href="/groups/regio-bench">Regio Bench</a></nav>
<h1>{{ title }}</h1>
<section aria-labelledby="replies-heading">
<h2 id="replies-heading">{{ posts|length }} reacties</h2>
<ol class="replies replies-top">
{% for post in posts %}
<li><article class="post" id="post-{{ post.id }}" aria-labelledby="post-{{ post.id }}-by">
<h3 class="visually-hidden" id="post-{{ post.id }}-by">Reactie van {{ post.author }}</h3>
<div class="post-header">
<a class="author" href="/members/{{ post.author_id }}">{{ post.author }}</a>
<span class="badge badge-sector">{{ post.sector }}</span>
<span class="meta"><a href="/posts/{{ post.id }}"><time datetime="{{ post.created.isoformat() }}">{{ post.created.strftime("%d-%m-%Y %H:%M") }}</time></a></span>
</div>
<div class="post-body">{{ post.body|safe }}</div>
<div class="post-actions">
<form action="/posts/{{ post.id }}/react" method="post" class="inline-form">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="kind" value="useful">
<button type="submit" class="reaction" aria-pressed="false">Nuttig{% if post.count %} <span class="reaction-count">{{ post.count }}</span>{% endif %}</button>
</form>
<form action="/posts/{{ post.id }}/react" method="post" class="inline-form">
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<input type="hidden" name="kind" value="thanks">
<button type="submit" class="reaction" aria-pressed="false">Bedankt</button>
</form>
<a href="/threads/1/reply?parent_id={{ post.id }}">Reageer<span class="visually-hidden"> op bericht {{ post.id }}</span></a>
<a href="/posts/{{ post.id }}/quote">Citeer<span class="visually-hidden"> bericht {{ post.id }}</span></a>
<a href="/posts/{{ post.id }}/report">Meld<span class="visually-hidden"> bericht {{ post.id }}</span></a>
</div>
</article></li>
{% endfor %}
</ol></section>
<section aria-labelledby="reply-heading"><h2 id="reply-heading">Reageer op dit gesprek</h2>
<form action="/threads/1/reply" method="post" class="stacked" novalidate>
<input type="hidden" name="csrf_token" value="{{ csrf }}">
<label for="body">Je reactie</label><textarea id="body" name="body" rows="8"></textarea>
<button type="submit" class="button">Plaats reactie</button></form></section>
</div></main>
<footer class="site-footer"><div class="wrap footer-inner">
<ul class="footer-links"><li><a href="/about">Over het platform</a></li><li><a href="/privacy">Privacy</a></li></ul>
</div></footer>
</body></html>
"""

NAV = [("Home", "/"), ("Groepen", "/groups"), ("Bijeenkomsten", "/events"),
       ("Kennisbank", "/kennisbank"), ("Advies", "/advies"), ("Inzicht", "/inzicht"),
       ("Meldingen", "/notifications"), ("Account", "/account")]  # fmt: skip
SECTORS = ["Onderwijs", "Jeugdhulp", "Politie", "Jongerenwerk", "Gemeente"]

app = Flask(__name__)
template = app.jinja_env.from_string(PAGE)


def _posts() -> list[dict]:
    start = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    return [{"id": n, "author": f"Lid {n % 10}", "author_id": n % 10, "sector": SECTORS[n % 5],
             "created": start + timedelta(minutes=17 * n), "body": BODY, "count": n % 3}
            for n in range(1, 21)]  # fmt: skip


@app.get("/bare")
def bare():
    return template.render(
        title="Hoe werken school, wijkteam en politie samen?", nav=NAV, posts=_posts(),
        csrf="IjQ1ZDk3YjU0ZWI0ZTI3ZGE0YjI4ZDI3ZjQxYTkzMjE1MjEwOWU4ZTUi.Z1234A.abcdefghijklmnop",
    )  # fmt: skip


@app.get("/healthz")
def healthz():
    return "ok"
