"""A lesson is a guided path (review2 N1-N4, N8, N9, N12): the keys that would leave it or
change what it narrates are off and say so; after an answer the box keeps the keys until enter
or n; an answer that cannot be read is refused, not scored; one n is one step; notices stay off
the lesson panel and go when they stop being true; the key bar, the help and zoom say what the
keys do in a lesson. Every check reads the screen's text."""

from bptui.teach.lessonrun import read, unreadable
from bptui.tui.app import BptuiApp

from .test_app import screen_text
from .test_lesson_start import lesson_app, screen_rows

BIG, SMALL = (120, 40), (80, 24)


def head(app) -> str:
    return screen_rows(app)[0]


def keybar(app) -> str:
    return screen_rows(app)[-1]


def _flat(text: str) -> str:
    return " ".join(text.split())


async def _answer_first(pilot, answer="-0.02"):
    await pilot.pause()
    await pilot.press(*answer, "enter")
    await pilot.pause()


async def test_space_and_the_training_keys_are_off_in_a_lesson_file_and_say_so():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await _answer_first(pilot)
        await pilot.press("n")  # on from the verdict: lesson 2/9, the screen's keys
        await pilot.pause()
        assert "lesson 2/9" in head(app) and app.focused is None
        keys = keybar(app)
        for gone in ("space play", "+/-", "u update", "e epoch", "r reset", "b back"):
            assert gone not in keys, gone
        assert "n next step" in keys and "l leave" in keys and "q quit" in keys
        for key, what in (("space", "space"), ("minus", "-"), ("u", "u"), ("e", "e"), ("r", "r")):
            await pilot.press(key)
            await pilot.pause()
            assert not app.main.player.playing
            text = screen_text(app)
            assert f"{what}: not in a lesson (l leaves it)." in text, what
            assert "lesson 2/9" in head(app) and "η 0.5" in head(app) and app.tr.epoch == 0
            assert "score 1 of 4" in text
        await pilot.press("b")
        await pilot.pause()
        assert "b: a lesson file goes forward only" in screen_text(app) and "lesson 2/9" in head(app)
        assert not app._notifications, "in a lesson file the note is in its panel, not over it"


async def test_lesson_mode_keeps_b_and_refuses_space():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await pilot.press("l", "n", "n")
        await pilot.pause()
        assert "b back" in keybar(app) and "space play" not in keybar(app)
        await pilot.press("b", "space")
        await pilot.pause()
        assert "lesson 1/9" in head(app) and not app.main.player.playing
        assert [n.message for n in app._notifications] == ["space: not in a lesson (l leaves it)."]


async def test_after_an_answer_the_box_keeps_the_keys_until_enter_or_n():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await _answer_first(pilot, "5")
        text = screen_text(app)
        assert "✗ your answer 5: wrong" in text and "score 0 of 4" in text
        assert app.focused is not None and app.focused.id == "lesson-answer"
        assert "enter/n next step" in keybar(app)
        await pilot.press(*"-0.02")  # a second try: typed into the box, not to the app
        await pilot.pause()
        assert "η 0.5" in head(app) and "lesson 1/9" in head(app)
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Answered: the first answer counts." in text and "score 0 of 4" in text
        assert "lesson 1/9" in head(app)
        await pilot.press("n")
        await pilot.pause()
        assert "lesson 2/9" in head(app) and app.focused is None and "η 0.5" in head(app)


async def test_an_answer_that_cannot_be_read_is_refused_and_not_scored():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await _answer_first(pilot, "abc")
        text = screen_text(app)
        assert "'abc' is not a number: type one" in text and "your answer abc" not in text
        assert "score 0 of 4" in text and "lesson 1/9" in head(app)
        assert "? x = (0.1, 0.3) goes in" in text and app.focused.id == "lesson-answer"
        await pilot.press("backspace", "backspace", "backspace", *"-0.02", "enter")
        await pilot.pause()
        assert "✓ your answer -0.02: right" in screen_text(app) and "score 1 of 4" in screen_text(app)


async def test_a_percent_reads_as_a_fraction():
    app = lesson_app("diamond")
    async with app.run_test(size=BIG) as pilot:
        for _ in range(6):
            if app.main.file_lesson.question:
                break
            await pilot.press("n")
            await pilot.pause()
        expected = app.main.file_lesson.runner.prompt()[1]
        assert 0.92 <= expected <= 1.0, "the diamond's question is a fraction near 97 %"
        await _answer_first(pilot, "97%")
        assert "✓ your answer 97%: right" in screen_text(app)


def test_reading_answers():
    assert read("number", "97%", 0.976) == 0.97 and read("number", "97%", 12.0) is None
    assert read("sign", "n+", 1.0) is None and read("sign", "−", 1.0) == -1
    assert read("sign", "-0.3", 1.0) == -1 and read("number", "abc", 1.0) is None
    assert "not a sign: type + or −" in unreadable("sign", "n+", 1.0)
    assert unreadable("number", "0.5", 1.0) == ""


async def test_one_n_is_one_step_and_the_question_shows_with_its_step():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG) as pilot:
        await _answer_first(pilot)
        await pilot.press("n")
        steps = []
        for _ in range(3):  # steps 2, 3, 4: narration; then 5 asks
            await pilot.press("n")
            await pilot.pause()
            steps.append(head(app).split("lesson ")[1].split()[0])
        assert steps == ["3/9", "4/9", "5/9"], steps
        assert app.main.file_lesson.question and "? " in screen_text(app)
        assert "step 5 of 9" in screen_text(app)
        await pilot.press("n")  # a second n: not typed into the (number) question's box
        await pilot.pause()
        assert app.focused.id == "lesson-answer" and app.focused.value == ""
        assert "lesson 5/9" in head(app)


async def test_notices_stay_off_the_lesson_panel():
    app = lesson_app("worked-example")
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await pilot.pause()
        app.main.notify("A notice from elsewhere")
        await pilot.pause(0.3)  # (a toast is drawn after the notification's refresh)
        rows = screen_rows(app)
        at = next(i for i, r in enumerate(rows) if "A notice from elsewhere" in r)
        panel = next(i for i, r in enumerate(rows) if "Lesson · The worked example" in r)
        assert at < panel, "the notice shows above the lesson panel, not over it"


async def test_a_notice_goes_when_it_stops_being_true():
    app = BptuiApp("worked-example")
    async with app.run_test(size=BIG, notifications=True) as pilot:
        await pilot.press("r")
        await pilot.pause(0.3)
        assert "Reset to the scenario's initial weights." in screen_text(app)
        await pilot.press("n")
        await pilot.pause(0.3)
        assert "Reset to the scenario's" not in screen_text(app)


async def test_80x24_lesson_mode_key_bar_keeps_l_and_q():
    app = BptuiApp("worked-example")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("l", "n")
        await pilot.pause()
        keys = keybar(app)
        assert "next step" in keys and "back" in keys and "leave" in keys and "quit" in keys, keys


async def test_80x24_lesson_keys_help_and_zoom():
    app = lesson_app("worked-example")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        keys = keybar(app)
        assert "n next step" in keys and "l leave" in keys and "q quit" in keys, keys
        await pilot.press("question_mark")
        await pilot.pause()
        text = _flat(screen_text(app))
        assert "next step of the lesson" in text and "next record" not in text
        assert "space not in a lesson (l leaves it)" in text
        await pilot.press("escape", "2", "z")
        await pilot.pause()
        text = _flat(screen_text(app))
        assert "? x = (0.1, 0.3) goes in" in text, "zoom keeps the lesson's question"
