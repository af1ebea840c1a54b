"""Themes: every colour from the active theme, readable (WCAG AA measured on the rendered
screen), switched at once, chosen with --theme and remembered between runs."""

import copy

import pytest
from textual.theme import BUILTIN_THEMES

from bptui.cli import main
from bptui.core import scenario as scen
from bptui.tui import themes
from bptui.tui.app import BptuiApp
from bptui.tui.style import NEG, POS, contrast, css_variables, palette
from bptui.tui.widgets.landscape import BANDS, _mark, band_rgb
from tests.conftest import run_cli
from tests.contrast import runs

BIG = (120, 40)
THEMES = ["textual-dark", "textual-light"]


def wide_xor():
    """A hidden layer of 16 units: the network panel draws weight heatmaps (value cells)."""
    sc = scen.load("xor")
    doc = copy.deepcopy(sc.doc)
    doc["network"]["sizes"] = [2, 16, 1]
    new = scen.from_dict(doc, sc.path, sc.name)
    return new, new.build()


# (what, app arguments, keys, the dialog to check or None for the whole screen)
SCREENS = [
    ("worked example", ("worked-example",), {}, [], None),
    ("worked example n", ("worked-example",), {}, ["n"], None),
    ("worked example n u", ("worked-example",), {}, ["n", "u"], None),
    ("worked example lesson", ("worked-example",), {}, ["l", "n", "n", "n"], None),
    ("exercise n", ("exercise",), {}, ["n"], None),
    ("admissions 900", ("admissions",), {"epochs": 900}, [], None),
    ("admissions 900 n", ("admissions",), {"epochs": 900}, ["n"], None),
    ("diamond 2000", ("diamond",), {"epochs": 2000}, [], None),
    ("heatmaps", (), {"loaded": "wide"}, ["n"], None),
    ("settings", ("xor",), {}, ["comma"], "#settings-box"),
    ("settings, end", ("xor",), {}, ["comma", "end"], "#settings-box"),
    ("help", ("worked-example",), {}, ["question_mark"], "#help-box"),
    ("grad check", ("exercise",), {}, ["n", "g"], "#grad-box"),
    ("inspector", ("exercise",), {}, ["n", "i"], "#inspector-box"),
    ("picker", ("worked-example",), {}, ["o"], "#picker-box"),
    ("chain rule", ("exercise",), {}, ["n", "c", "down", "down"], "#chain-box"),
    ("loss landscape", ("diamond",), {"epochs": 50}, ["L"], "#landscape-box"),
]


async def rendered_runs(theme, args, kw, keys, box):
    kw = dict(kw)
    if kw.get("loaded") == "wide":
        kw["loaded"] = wide_xor()
    app = BptuiApp(*args, theme=theme, **kw)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        for k in keys:
            if k == "end":  # the rest of a long dialog
                app.screen.query_one(box).scroll_end(animate=False)
            else:
                await pilot.press(k)
        await pilot.pause()
        await pilot.pause()
        region = app.screen.query_one(box).region if box else None
        return runs(app, region)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("what,args,kw,keys,box", SCREENS, ids=[s[0] for s in SCREENS])
async def test_every_run_of_text_reaches_aa(theme, what, args, kw, keys, box):
    """Every run of text ≥ 4.5:1 against what it is drawn on (value cells included, which
    the issue asks only 3:1 of)."""
    rs = await rendered_runs(theme, args, kw, keys, box)
    assert len(rs) > 10, f"{what}: too little text found ({len(rs)} runs): the walk is broken"
    bad = [(round(r.ratio, 2), r.x, r.y, r.text, r.fg, r.bg) for r in rs if r.ratio < 4.5]
    assert not bad, f"{what} under {theme}: {len(bad)} runs below 4.5:1, e.g. {bad[:5]}"
    if what == "heatmaps":  # the value cells are there, in both signs, filled
        cells = [r for r in rs if r.bg != rs[0].bg and r.text.strip()[:1] in "+-"]
        assert len(cells) >= 12 and min(r.ratio for r in cells) >= 3


async def test_the_walk_sees_unreadable_text(monkeypatch):
    """The contrast walk itself: a pale heading on a light theme is caught."""
    from rich.style import Style

    app = BptuiApp("worked-example", theme="textual-light")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("n")
        pale = Style(bold=True, color="rgb(150,200,255)")  # the headings' colour before themes
        monkeypatch.setattr(palette(app), "section", pale)
        app._theme_changed(app.current_theme)
        await pilot.pause()
        bad = [r for r in runs(app) if r.ratio < 4.5]
        assert any("Forward pass" in r.text for r in bad)


def lines(app):
    out = []
    for chops in app.screen._compositor.render_full_update().strips:
        for strip in chops:
            for seg in strip:
                st = seg.style
                out.append((seg.text, st and st.color, st and st.bgcolor, st and st.bold))
    return out


async def test_switching_theme_redraws_everything_at_once():
    """Dark, step a record, switch to light: the screen is the one a light start shows after
    the same step (every panel, the highlights of the values that changed, plots, key bar)."""
    a = BptuiApp("diamond", epochs=300)
    b = BptuiApp("diamond", epochs=300, theme="textual-light")
    async with a.run_test(size=BIG) as pa:
        await pa.press("n")
        before = lines(a)
        a.theme = "textual-light"
        await pa.pause()
        await pa.pause()
        switched = lines(a)
    async with b.run_test(size=BIG) as pb:
        await pb.press("n")
        await pb.pause()
        fresh = lines(b)
    assert switched != before
    assert switched == fresh


@pytest.mark.parametrize("name", sorted(BUILTIN_THEMES))
def test_every_theme_keeps_the_value_scale_and_reads(name):
    """In every built-in theme: positive values blue, negative orange, stronger with |w|;
    the text colours reach AA on the background, surface and panel."""

    class App:
        current_theme = BUILTIN_THEMES[name]

    pal = palette(App)
    for st in (pal.dim, pal.section, pal.good, pal.bad, pal.note):
        assert min(contrast(st.color.triplet, g) for g in pal.grounds) >= 4.5
    for st in (pal.changed, pal.focus, pal.selected, pal.state["diverged"]):
        assert contrast(st.color.triplet, st.bgcolor.triplet) >= 4.5
    last = 0.0
    for w in (0.1, 0.4, 0.7, 1.0):
        p, n = pal.weight_style(w, 1.0, bg=True), pal.weight_style(-w, 1.0, bg=True)
        pr, pg, pb = p.bgcolor.triplet
        nr, ng, nb = n.bgcolor.triplet
        assert pb > pr and nr > nb  # blue and orange
        away = sum(abs(x - y) for x, y in zip(p.bgcolor.triplet, pal.bg))
        assert away > last  # stronger with |w|
        last = away
        for st in (p, n):
            assert contrast(st.color.triplet, st.bgcolor.triplet) >= 4.5
        for st in (pal.weight_style(w, 1.0), pal.weight_style(-w, 1.0)):
            assert min(contrast(st.color.triplet, g) for g in pal.grounds) >= 4.5
    assert pal.prob_rgb(0.5) == pal.bg
    assert pal.prob_rgb(1.0) == POS and pal.prob_rgb(0.0) == NEG
    assert contrast(pal.pos, pal.bg) >= 3 and contrast(pal.neg, pal.bg) >= 3
    # the stylesheet's variables: borders 3:1, the key bar's keys and text AA
    v = BUILTIN_THEMES[name].to_color_system().generate()
    css = css_variables(pal, v)
    rgb = lambda h: tuple(int(h[i : i + 2], 16) for i in (1, 3, 5))  # noqa: E731
    assert contrast(rgb(css["bptui-rule"]), pal.bg) >= 3
    bar = rgb(v["footer-background"]) if v["footer-background"].startswith("#") else None
    if bar is not None:
        assert contrast(rgb(css["footer-key-foreground"]), bar) >= 4.5
        disabled = rgb(css["bptui-key-disabled"])  # a key that does nothing now: faded, still AA
        assert contrast(disabled, bar) >= 4.5
        if "footer-description-foreground" in css:
            assert disabled != rgb(css["footer-description-foreground"])
    # the loss landscape: valleys toward the background, high ground saturated; marks 3:1
    away = [contrast(band_rgb(k, pal.bg), pal.bg) for k in range(BANDS)]
    assert away[0] < away[BANDS // 2] < away[-1] and away[-1] >= 3
    for k in range(BANDS):
        for mark in (pal.text, (80, 220, 120), (255, 40, 40)):
            assert contrast(_mark(mark, band_rgb(k, pal.bg)), band_rgb(k, pal.bg)) >= 3


# a dialog open while the theme changes: (keys that open it, its box)
DIALOGS = [
    ("help", "worked-example", ["question_mark"], "#help-box"),
    ("grad check", "exercise", ["n", "g"], "#grad-box"),
    ("inspector", "exercise", ["n", "i"], "#inspector-box"),
    ("chain rule", "exercise", ["n", "c"], "#chain-box"),
    ("picker", "worked-example", ["o"], "#picker-box"),
    ("settings", "xor", ["comma"], "#settings-box"),
    ("jump, a wrong number", "xor", ["j", "0", "enter"], "#jump-box"),
    ("loss landscape", "diamond", ["L"], "#landscape-box"),
]


@pytest.mark.parametrize("start,to", [("textual-dark", "textual-light"), ("textual-light", "textual-dark")])
@pytest.mark.parametrize("what,name,keys,box", DIALOGS, ids=[d[0] for d in DIALOGS])
async def test_a_dialog_open_during_a_theme_switch_takes_the_new_colours(start, to, what, name, keys, box):
    """Switch the theme with a dialog open: its hints, verdicts and tables are drawn again in
    the new theme's colours (AA), as the same dialog opened in that theme is."""
    app = BptuiApp(name, theme=start)
    async with app.run_test(size=BIG) as pilot:
        await pilot.pause()
        for k in keys:
            await pilot.press(k)
        await pilot.pause()
        app.theme = to
        await pilot.pause()
        await pilot.pause()
        rs = runs(app, app.screen.query_one(box).region)
    assert len(rs) >= 3, f"{what}: too little text found"
    bad = [(round(r.ratio, 2), r.text, r.fg, r.bg) for r in rs if r.ratio < 4.5]
    assert not bad, f"{what}, {start} → {to}: {len(bad)} runs below 4.5:1, e.g. {bad[:4]}"


def test_unknown_theme_is_a_one_line_error():
    r = run_cli("--theme", "nope")
    assert r.returncode == 2
    err = r.stderr.strip()
    assert "\n" not in err and "unknown theme 'nope'" in err and "textual-light" in err
    for args in (["screenshot", "worked-example", "-o", "x.svg"], ["serve"], ["lesson", "worked-example"]):
        r = run_cli(*args, "--theme", "nope")
        assert r.returncode == 2 and "unknown theme 'nope'" in r.stderr and "Traceback" not in r.stderr


def test_screenshot_theme(tmp_path):
    out = tmp_path / "s.svg"
    assert main(["screenshot", "worked-example", "--theme", "textual-light", "-o", str(out)]) == 0
    svg = out.read_text()
    assert "#e0e0e0" in svg.lower()  # textual-light's background
    assert not themes.config_path().exists()  # a screenshot does not change the remembered theme


def test_theme_remembered_between_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert themes.config_path() == tmp_path / "cfg" / "bptui" / "config.toml"
    assert themes.resolve(None) == ("textual-dark", "")
    themes.remember("solarized-light")
    assert themes.resolve(None) == ("solarized-light", "")
    assert themes.resolve("textual-light") == ("textual-light", "")
    # a screenshot without --theme uses the remembered one
    out = tmp_path / "s.svg"
    assert main(["screenshot", "worked-example", "-o", str(out)]) == 0
    assert "#fdf6e3" in out.read_text().lower()  # solarized-light's background
    # a hand-edited, wrong config: a warning and the default, not an error
    themes.config_path().write_text('theme = "no-such"\n')
    name, warning = themes.resolve(None)
    assert name == "textual-dark" and "no-such" in warning
    themes.config_path().write_text("theme = [")
    name, warning = themes.resolve(None)
    assert name == "textual-dark" and "cannot read" in warning
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert themes.config_path() == tmp_path / "home" / ".config" / "bptui" / "config.toml"


async def test_theme_chosen_in_the_app_is_remembered():
    app = BptuiApp("worked-example", theme="textual-dark", remember=True)
    async with app.run_test(size=BIG) as pilot:
        app.theme = "catppuccin-latte"
        await pilot.pause()
        await pilot.pause()
    assert themes.resolve(None)[0] == "catppuccin-latte"


async def test_help_lists_the_theme():
    app = BptuiApp("worked-example", theme="textual-light")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(r.text for r in runs(app, app.screen.query_one("#help-box").region))
    assert "theme now: textual-light" in text and "--theme NAME" in text
