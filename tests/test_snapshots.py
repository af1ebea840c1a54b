"""Snapshot tests of what the screen shows (SVGs in tests/__snapshots__/, reviewed by eye).

Deterministic: fixed seeds, no clock on screen, no play timer, no notifications."""

from bptui.tui.app import BptuiApp

BIG = (120, 40)


def test_worked_example_start(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), terminal_size=BIG)


def test_worked_example_after_n(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), press=["n"], terminal_size=BIG)


def test_worked_example_after_n_u(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), press=["n", "u"], terminal_size=BIG)


def test_exercise_after_n(snap_compare):
    assert snap_compare(BptuiApp("exercise"), press=["n"], terminal_size=BIG)


def test_diamond_after_50_epochs(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=50), terminal_size=BIG)


def test_admissions_after_900_epochs(snap_compare):
    assert snap_compare(BptuiApp("admissions", epochs=900), terminal_size=BIG)


def test_small_terminal_80x24(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), press=["n", "2"], terminal_size=(80, 24))


def test_help_screen(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), press=["question_mark"], terminal_size=BIG)


def test_settings_screen(snap_compare):
    assert snap_compare(BptuiApp("xor"), press=["comma"], terminal_size=BIG)


def test_weight_inspector(snap_compare):
    assert snap_compare(BptuiApp("exercise"), press=["n", "u", "n", "i", "down"], terminal_size=BIG)


def test_xor_after_a_record(snap_compare):
    assert snap_compare(BptuiApp("xor", epochs=100), press=["n"], terminal_size=BIG)


def test_tf_circle_after_100_epochs(snap_compare):
    assert snap_compare(BptuiApp("tf-circle", epochs=100), terminal_size=BIG)


def test_tf_xor_after_200_epochs(snap_compare):
    assert snap_compare(BptuiApp("tf-xor", epochs=200), terminal_size=BIG)


def test_tf_gaussian_after_50_epochs(snap_compare):
    assert snap_compare(BptuiApp("tf-gaussian", epochs=50), terminal_size=BIG)


def test_tf_spiral_after_300_epochs(snap_compare):
    assert snap_compare(BptuiApp("tf-spiral", epochs=300), terminal_size=BIG)


def test_relu_intro_after_an_epoch(snap_compare):
    assert snap_compare(BptuiApp("relu-intro"), press=["e"], terminal_size=BIG)


def test_softmax_three_class_csv_after_a_record(snap_compare, tmp_path):
    from bptui.cli import main
    from tests.conftest import ROOT

    toml = tmp_path / "three.toml"
    main(
        [str(ROOT / "tests" / "data" / "three-class.csv"), "--target", "kind", "--write-scenario", str(toml)]
    )
    assert snap_compare(BptuiApp(str(toml), epochs=30), press=["n"], terminal_size=BIG)


def test_thumbnails_on_a_wide_screen(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=1500), terminal_size=(180, 50))


def test_hidden_unit_large(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=1500), press=["t", "t"], terminal_size=(180, 50))


def test_step_back_after_n_u(snap_compare):
    assert snap_compare(BptuiApp("worked-example"), press=["n", "u", "b"], terminal_size=BIG)


def test_gradient_check_view(snap_compare):
    assert snap_compare(BptuiApp("exercise"), press=["n", "g"], terminal_size=BIG)


def test_chain_rule_of_a_hidden_layer_weight(snap_compare):
    assert snap_compare(BptuiApp("exercise"), press=["n", "c", "down", "down", "down"], terminal_size=BIG)


def test_loss_landscape_worked_example_after_50_epochs(snap_compare):
    assert snap_compare(BptuiApp("worked-example", epochs=50), press=["L"], terminal_size=BIG)


def test_loss_landscape_diamond_after_50_epochs(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=50), press=["L"], terminal_size=BIG)


def _lesson_app():
    from bptui.teach import lessons

    les = lessons.load("worked-example")
    return BptuiApp(loaded=les.build(), lesson_file=les)


def test_lesson_first_screen(snap_compare):
    """The lesson at once: its intro and the first question, the values it asks for hidden."""
    assert snap_compare(_lesson_app(), terminal_size=BIG)


# the first prompt (asked at once) answered (h = -0.02), then three steps to the δ^o prompt; 0.12 typed
TO_DELTA_O = ["minus", "0", ".", "0", "2", "enter", "n", "n", "n", "n", "0", ".", "1", "2"]


def test_lesson_predict_prompt_before_answering(snap_compare):
    assert snap_compare(_lesson_app(), press=TO_DELTA_O, terminal_size=BIG)


def test_lesson_predict_prompt_after_answering(snap_compare):
    assert snap_compare(_lesson_app(), press=[*TO_DELTA_O, "enter"], terminal_size=BIG)


DEAD_LINKS = """title = "Dead links"
description = "TF's L1: links it carries across zero are dead."
[network]
sizes = [2, 3, 1]
hidden_activation = "tanh"
output_activation = "tanh"
bias = true
init = "uniform"
init_scale = 0.5
[training]
loss = "square"
learning_rate = 0.3
update = "minibatch"
batch_size = 10
regularization = "l1"
regularization_rate = 0.03
l1 = "zero"
last_batch = "carry"
seed = 4
[data]
pattern = "tf-gaussian"
samples = 100
labels = [-1, 1]
test_fraction = 0.5
split_seed = 4
"""


def test_dead_links_in_the_drawing(snap_compare, tmp_path):
    """TF's L1 rule killed some links: the drawing says dead in place of their weights."""
    p = tmp_path / "dead.toml"
    p.write_text(DEAD_LINKS)
    app = BptuiApp(str(p), epochs=40)
    assert sum(int(d.sum()) for d in app.tr.dead) > 0
    assert snap_compare(app, terminal_size=BIG)


def test_light_worked_example_after_n_u(snap_compare):
    assert snap_compare(
        BptuiApp("worked-example", theme="textual-light"), press=["n", "u"], terminal_size=BIG
    )


def test_light_diamond_after_2000_epochs(snap_compare):
    assert snap_compare(BptuiApp("diamond", epochs=2000, theme="textual-light"), terminal_size=BIG)
