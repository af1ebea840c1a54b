"""bptui record: one self-contained HTML file of the screens, identical when made twice."""

import html
import re

from bptui.cli import main


def text_of(svg: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def frames_of(page: str) -> list[str]:
    return re.findall(r'<section class="frame" id="f\d+">(.*?)</section>', page, flags=re.S)


def test_a_recording_made_twice_is_identical_with_one_frame_per_key(tmp_path, capsys):
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    for out in (a, b):
        assert (
            main(["record", "worked-example", "--keys", "n u e e + L", "-o", str(out), "--size", "100x32"])
            == 0
        )
    assert a.read_bytes() == b.read_bytes()
    page = a.read_text()
    frames = frames_of(page)
    assert len(frames) == 7  # the start and one per key
    assert [re.search(r'<p class="cap">(.*?)</p>', f).group(1) for f in frames[:3]] == [
        "<b>0/6</b> start",
        "<b>1/6</b> key n: record",
        "<b>2/6</b> key u: update",
    ]
    assert "key +: η" in frames[5] and "key L: loss landscape" in frames[6]
    # each frame is the screen after its key: seed 004's numbers appear where they should
    shown = [text_of(f) for f in frames]
    assert "0.512" in shown[1] and "0.130153" in shown[2] and "Loss landscape" in shown[6]
    # self-contained: no URL but the SVG namespace, ids of its own per frame, the stepping script
    assert set(re.findall(r"https?://[^\s\"')]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "terminal-" not in page and 'class="bptui-f3-matrix"' in frames[3]
    assert "ArrowRight" in page and 'id="play"' in page
    assert "wrote" in capsys.readouterr().err


def test_bad_keys_are_one_line_errors(tmp_path, capsys):
    out = tmp_path / "x.html"
    assert main(["record", "worked-example", "--keys", "n x", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown key 'x'" in err
    assert main(["record", "worked-example", "--keys", "space", "-o", str(out)]) == 2
    assert "play runs by the clock" in capsys.readouterr().err
    assert main(["record", "no-such-scenario", "--keys", "n", "-o", str(out)]) == 2
    assert not out.exists()


def test_a_lesson_recording_has_the_narration_and_each_prompt_before_its_answer(tmp_path):
    from tests.test_lessonfiles import readme_lesson

    les = tmp_path / "short.toml"
    les.write_text(readme_lesson())
    out = tmp_path / "les.html"
    assert main(["record", "--lesson", str(les), "-o", str(out), "--size", "100x32"]) == 0
    frames = frames_of(out.read_text())
    caps = [html.unescape(re.search(r'<p class="cap">(.*?)</p>', f, flags=re.S).group(1)) for f in frames]
    # the start (asking step 1's prompt at once), step 1 answered, step 2's prompt, step 2 answered
    assert len(frames) == 4
    assert caps[0].startswith("<b>0/3</b> One step of the worked example")
    assert "? x = (0.1, 0.3), w = (0.4, -0.2), W = 0.1, y = 1. What is δ^o?" in caps[0]
    assert "? x = (0.1, 0.3), w = (0.4, -0.2), W = 0.1, y = 1. What is δ^o?" in text_of(frames[0])
    assert "step 1: ŷ = 0.512, so δ^o = (y − ŷ)·ŷ(1 − ŷ) = 0.122." in caps[1]
    assert "? Will W go up (+) or down (−)?" in caps[2] and "W = 0.1 + ΔW = 0.130153." in caps[3]
    assert "✓ your answer 0.121832: right" in text_of(frames[1])
