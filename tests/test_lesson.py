"""The Lesson tab: its demonstrations (unit), its link state (unit) and its page logic (AppTest).

The AppTest checks compare what a step shows with the same computation run here, on the very
Lab the page uses (ui.resources caches one per server): the text's numbers and the images come
from one draw.
"""

import base64

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as hs

from model.latent import prior_samples
from tests.test_app import images, markdown_text, new_app, ok
from ui import session
from ui.images import png, tile
from ui.link import LESSON_STEPS, LinkState, link_params, parse_lesson_sizes, parse_link
from ui.resources import lab_or_error
from ui.tabs.lesson import STEPS, kl, predict
from ui.tabs.lesson import cloud as cloud_view
from ui.tabs.lesson import compress
from ui.tabs.lesson import demos


@pytest.fixture(scope="module")
def labs():
    return {dim: lab_or_error(dim)[0] for dim in (2, 16)}


@pytest.fixture
def without_beta_family(monkeypatch):
    """The KL step with its stand-in dial, whichever β family members the checkpoints hold (the
    full dial draws nothing while the family is missing; tests/test_why.py tests it in the lesson)."""
    import ui.tabs.why

    monkeypatch.setattr(ui.tabs.why, "family_or_error", lambda: (None, "no β family in this test"))


def payload(images_tensor, columns, scale, gap=1):
    """What the page embeds for these images (base64 PNG)."""
    return base64.b64encode(png(tile(images_tensor, columns, gap=gap), scale)).decode("ascii")


# --- the link: per-step sizes ---------------------------------------------------------------

def test_lesson_sizes_round_trip_through_the_link():
    state = LinkState(tab="lesson", step=2, lesson_sizes=((2, 2), (6, 16)))
    assert link_params(state)["lsize"] == "2:2,6:16"
    assert parse_link(link_params(state)) == state
    assert "lsize" not in link_params(LinkState())


@pytest.mark.parametrize("bad", ["2", "2:3", "9:2", "0:16", "2:2,2:16", "2:2,", ":", "a:b", "2:16:2", "٢:2"])
def test_a_bad_lesson_size_falls_back_with_a_note(bad):
    state = parse_link({"lsize": bad})
    assert state.lesson_sizes == () and len(state.notes) == 1 and "`lsize=" in state.notes[0]


@settings(max_examples=300, deadline=None)
@given(hs.text(max_size=40))
def test_any_lesson_sizes_text_parses_to_valid_pairs_or_none(text):
    sizes = parse_lesson_sizes(text)
    assert sizes is None or all(1 <= s <= LESSON_STEPS and d in (2, 16) for s, d in sizes)


# --- the demonstrations ---------------------------------------------------------------------

def test_random_codes_are_the_seeded_draw_and_count_what_the_judge_calls_clear(labs):
    demo = demos.random_codes(labs[16], seed=3)
    assert torch.equal(demo.z, prior_samples(demos.SAMPLES, 16, 3))
    assert demo.clear == list(demo.calls).count("clear")
    assert 0 <= demo.neighbours <= 10 and 0 <= demo.codes_within <= 1
    assert demo.draw_reach == pytest.approx(float(demo.z.norm(dim=1).max()))


def test_in_16d_random_codes_land_where_the_ae_has_no_code_and_in_2d_among_them(labs):
    """The claim step 2 makes at each size, on the shipped models (README: the neighbour test)."""
    far, near = demos.random_codes(labs[16], seed=0), demos.random_codes(labs[2], seed=0)
    assert far.codes_within == 0 and far.neighbours < 0.5 and far.draw_reach < far.code_band[0]
    assert near.codes_within > 0.1 and near.neighbours > 1


def test_a_cloud_sample_is_centre_plus_spread_times_the_seeded_noise(labs):
    lab = labs[16]
    demo = demos.cloud(lab, lab.images[:1], seed=5)
    eps = prior_samples(demos.CLOUD_SAMPLES, 16, 5).double().numpy()
    assert np.allclose(demo.z.numpy(), demo.mu + demo.sigma * eps, atol=1e-5)
    assert (demo.sigma > 0).all() and demo.agree == int((demo.labels == demo.centre_label).sum())


def test_the_walk_stays_inside_the_bell_curve():
    """Every point of the walk is distributed as N(0, I): the spread neither grows nor shrinks."""
    starts = prior_samples(4000, 2, 0)
    ends = torch.stack([demos.walk_points(s, demos.WALK_STEPS, seed=i)[-1] for i, s in enumerate(starts)])
    assert ends.std(dim=0).numpy() == pytest.approx([1, 1], abs=0.05)
    assert ends.mean(dim=0).numpy() == pytest.approx([0, 0], abs=0.05)


def test_both_models_walk_the_same_points(labs):
    lab = labs[16]
    demo = demos.walk(lab, seed=2)
    assert len(demo.z) == demos.WALK_STEPS and torch.equal(demo.z[0], prior_samples(1, 16, 2)[0])
    for kind in ("ae", "vae"):
        assert torch.equal(demo.images[kind], lab.decode(kind, demo.z))


def test_pools_cover_the_aes_codes_and_the_vaes_bell_curve(labs):
    lab = labs[2]
    ae, vae = demos.pools(lab, "ae"), demos.pools(lab, "vae")
    assert ae.x_range == pytest.approx(tuple(np.percentile(lab.spaces["ae"].points[:, 0], [1, 99])))
    assert vae.x_range[0] == pytest.approx(-vae.x_range[1]) and vae.x_range[1] < 3
    assert len(ae.images) == demos.POOL_GRID**2
    digit, share = ae.commonest
    assert share == pytest.approx(((ae.labels == digit) & (ae.calls == "clear")).mean())


def test_nudges_are_counted_against_the_centres_digit(labs):
    demo = demos.nudges(labs[16], seed=0)
    assert len(demo.images) == demos.NUDGES and demo.same == int((demo.labels == demo.centre_label).sum())


def test_the_judges_certainty_is_never_rounded_up_to_certain():
    assert compress.sure_text(0.996) == "over 99% sure" and compress.sure_text(0.93) == "93% sure"


def test_the_kl_answer_follows_the_dial_not_a_script():
    low = kl.DialReading(0.0, 10, 36, (1, 2))
    assert kl.outcome(low, kl.DialReading(1.0, 26, 36, tuple(range(10)))) == "worse"
    assert kl.outcome(low, kl.DialReading(1.0, 5, 36, ())) == "sharper"
    assert kl.outcome(low, kl.DialReading(1.0, 12, 36, ())) == "same"
    assert kl.outcome(low, kl.DialReading(1.0, 11, 36, (1, 2, 3, 4))) == "repeat"  # as clear, but more kinds at β = 1
    assert kl.outcome(low, kl.DialReading(1.0, 11, 36, (1, 2, 3))) == "same"


# --- the page -------------------------------------------------------------------------------

def lesson(step=1, **query):
    return ok(new_app(tab="lesson", step=str(step), **query))


def go_to(at, step):
    at.session_state[session.LESSON_STEP] = step
    return ok(at.run())


def guess(at, value):
    """Answer step 2's predict-first question and reveal the samples."""
    [n for n in at.number_input if n.label == "Your guess"][0].set_value(value)
    ok(at.run())
    [b for b in at.button if b.label == "Show the samples"][0].click()
    return ok(at.run())


def predict_kl(at, choice):
    at.radio[0].set_value(kl.CHOICES[choice])
    return ok(at.run())


def test_next_and_previous_walk_through_every_step():
    at = lesson()
    for number in range(1, LESSON_STEPS + 1):
        assert at.session_state[session.LESSON_STEP] == number
        assert f"## {number}. {STEPS[number - 1].title}" in markdown_text(at)
        nxt = [b for b in at.button if "Next" in b.label][0]
        if number < LESSON_STEPS:
            nxt.click()
            ok(at.run())
        else:
            assert nxt.disabled
    for number in range(LESSON_STEPS - 1, 0, -1):
        [b for b in at.button if "Previous" in b.label][0].click()
        ok(at.run())
        assert at.session_state[session.LESSON_STEP] == number
    assert [b for b in at.button if "Previous" in b.label][0].disabled


FIRST_PICTURE = {  # step -> (alt text of its first picture, that picture computed from the step's Lab)
    1: ("lesson ae copy", lambda lab: payload(demos.compression(lab).reconstructions["ae"], 1, 4)),
    2: ("lesson ae samples", lambda lab: payload(demos.random_codes(lab, 0).images, 6, 2)),
    3: ("lesson cloud samples", lambda lab: payload(demos.cloud(lab, lab.images[:1], 0).images, 6, 2)),
    4: ("lesson dial samples", lambda lab: payload(lab.decode("vae", prior_samples(36, 2, 0)), 12, 2)),
    5: ("lesson nudges", lambda lab: payload(demos.nudges(lab, 0).images, demos.NUDGES, 2)),
    6: ("lesson ae pools", lambda lab: payload(demos.pools(lab, "ae").images, demos.POOL_GRID, 1, gap=0)),
}
ANSWER_FIRST = {2: lambda at: guess(at, 5), 4: lambda at: predict_kl(at, "worse")}


@pytest.mark.parametrize("number", sorted(FIRST_PICTURE))
def test_each_step_says_which_size_it_uses_and_renders_at_it(number, labs, without_beta_family):
    pick = STEPS[number - 1].pick
    at = lesson(number, dim="2" if pick == 16 else "16")  # the sidebar says otherwise
    assert f"This step uses the {pick}-D models" in " ".join(c.value for c in at.caption)
    at = ANSWER_FIRST.get(number, lambda at: at)(at)
    alt, expected = FIRST_PICTURE[number]
    assert images(at, alt) == [expected(labs[pick])]


def test_the_teachers_size_for_a_step_works_and_lives_in_the_link(labs):
    at = lesson(2)
    control = at.segmented_control(key=session.lesson_size_key(2))
    assert control.value == 16
    control.set_value(2)
    ok(at.run())
    assert at.query_params["lsize"] == "2:2"
    assert "Shown with the 2-D models (the teacher's choice)" in " ".join(c.value for c in at.caption)
    at = guess(at, 12)
    assert images(at, "lesson ae samples") == [payload(demos.random_codes(labs[2], 0).images, 6, 2)]
    control = at.segmented_control(key=session.lesson_size_key(2))
    control.set_value(16)  # back to the step's own pick: nothing left to say in the link
    ok(at.run())
    assert "lsize" not in at.query_params


def test_a_link_sets_the_size_of_a_step(labs):
    at = lesson(3, lsize="3:2")
    assert at.segmented_control(key=session.lesson_size_key(3)).value == 2
    assert images(at, "lesson cloud samples") == [payload(demos.cloud(labs[2], labs[2].images[:1], 0).images, 6, 2)]
    at = ok(new_app(tab="lesson", step="3", lsize="3:7"))
    assert any("`lsize=3:7`" in w.value for w in at.sidebar.warning)
    assert at.segmented_control(key=session.lesson_size_key(3)).value == 16


def test_predict_first_shows_the_samples_only_after_a_guess(labs):
    at = lesson(2, seed="77")
    assert images(at, "lesson ae samples") == [] and "The judge accepts" not in markdown_text(at)
    show = [b for b in at.button if b.label == "Show the samples"][0]
    assert show.disabled  # no guess yet
    at = guess(at, 9)
    demo = demos.random_codes(labs[16], 77)
    text = markdown_text(at)
    assert f"The judge accepts **{demo.clear} of 36** as clear digits (your guess: 9)" in text
    assert f"on average **{demo.neighbours:.1f}** are real AE codes" in text
    assert f"lie within **{demo.draw_reach:.1f}** of the centre" in text
    assert f"**{demo.codes_within:.0%}** of the AE's 10,000 real codes" in text
    assert images(at, "lesson ae samples") == [payload(demo.images, 6, 2)]


def test_a_skipped_guess_shows_the_samples_without_one():
    at = lesson(2)
    [b for b in at.button if b.label == "Skip"][0].click()
    at = ok(at.run())
    assert "(no guess)" in markdown_text(at) and len(images(at, "lesson ae samples")) == 1


def test_every_number_in_a_steps_text_comes_from_what_it_shows(labs):
    at = lesson(1)
    demo = demos.compression(labs[16])
    text = markdown_text(at)
    for kind in ("ae", "vae"):
        assert ", ".join(f"{v:.1f}" for v in demo.codes[kind]) in text
        reading = demo.readings[kind]
        assert f"the judge reads it as a {reading.label} ({compress.sure_text(reading.confidence)})" in text

    at = go_to(at, 3)
    demo = demos.cloud(labs[16], labs[16].images[:1], 0)
    text = markdown_text(at)
    assert f"the judge reads **{demo.agree} of 12** as a {demo.centre_label}" in text
    assert f"goes from **{demo.sigma.min():.2f}** to **{demo.sigma.max():.2f}**" in text

    at = go_to(at, 5)
    walk = demos.walk(labs[16], 0)
    text = markdown_text(at)
    assert f"The VAE's walk: **{walk.clear('vae')} of 12**" in text and f"points: **{walk.clear('ae')} of 12**" in text
    for kind in ("vae", "ae"):
        assert images(at, f"lesson {kind} walk") == [payload(walk.images[kind], 12, 2)]
    shares = demos.nudge_comparison(labs[16])
    assert f"{shares['ae']:.0%} of the AE's keep their digit (the VAE's: {shares['vae']:.0%})" in text

    at = go_to(at, 6)
    text = markdown_text(at)
    for kind in ("ae", "vae"):
        grid = demos.pools(labs[2], kind)
        assert f"**{grid.clear_share:.0%}** of the 144 cells are clear digits, {len(grid.kinds)} kinds" in text
        assert images(at, f"lesson {kind} pools") == [payload(grid.images, 12, 1, gap=0)]


def test_the_kl_step_answers_once_the_dial_moves(without_beta_family):
    at = lesson(4)
    assert not at.select_slider and not at.success  # predict first
    at = predict_kl(at, "worse")
    assert at.select_slider[0].value == 1.0 and not at.success
    assert "Move the dial toward 0" in at.info[0].value
    at.select_slider[0].set_value(0.0)
    at = ok(at.run())
    answer = at.success[0].value
    low, high = (at.session_state[session.LESSON_SEEN]["kl"][b] for b in (0.0, 1.0))
    assert f"At β = 0 the judge accepts **{low['clear']} of 36**" in answer
    assert f"at β = 1, **{high['clear']} of 36**" in answer
    right = kl.CHOICES[kl.outcome(kl.DialReading(**low), kl.DialReading(**high))]
    assert f"**{right}**" in answer


def test_the_kl_step_uses_the_why_tabs_dial_when_there_is_one(monkeypatch):
    """Integration point (#11): ui.tabs.why.beta_dial(lab, key) -> DialReading replaces the stand-in."""
    calls = []

    def beta_dial(lab, key):
        import streamlit as st

        beta = st.select_slider("fake dial", (0.0, 0.5, 1.0), value=1.0, key=key)
        calls.append(lab.latent_dim)
        return kl.DialReading(beta, {0.0: 4, 0.5: 20, 1.0: 30}[beta], 36, (1,))

    import ui.tabs.why

    monkeypatch.setattr(ui.tabs.why, "beta_dial", beta_dial)
    at = lesson(4)
    at = predict_kl(at, "sharper")
    assert at.select_slider[0].label == "fake dial" and calls == [2]
    at.select_slider[0].set_value(0.5)
    at = ok(at.run())
    assert "At β = 0.5 the judge accepts **20 of 36**" in at.success[0].value
    assert "you predicted: “They get sharper and more varied”" in at.success[0].value


def test_step_3_uses_the_students_drawing_when_there_is_one(monkeypatch, labs):
    """Integration point (#12): session.drawing() -> [1, 1, 28, 28] or None."""
    drawing = labs[16].images[123:124].clone()
    monkeypatch.setattr(session, "drawing", lambda: drawing, raising=False)
    at = lesson(3)
    assert images(at, "lesson cloud source") == [payload(drawing, 1, 3)]
    assert "your drawing" in markdown_text(at)
    demo = demos.cloud(labs[16], drawing, 0)
    assert images(at, "lesson cloud samples") == [payload(demo.images, 6, 2)]
    monkeypatch.setattr(session, "drawing", lambda: None)
    at = ok(at.run())
    assert images(at, "lesson cloud source") == [payload(labs[16].images[:1], 1, 3)]


def test_the_recap_shows_the_numbers_the_class_saw(labs):
    at = lesson(7)
    assert markdown_text(at).count("not shown in this session yet") == 5
    at = go_to(at, 2)
    at = guess(at, 20)
    holes = demos.random_codes(labs[16], 0)
    at = go_to(at, 5)
    walk = demos.walk(labs[16], 0)
    at = go_to(at, 6)
    pools = {kind: demos.pools(labs[2], kind).clear_share for kind in ("ae", "vae")}
    at = go_to(at, 7)
    text = markdown_text(at)
    assert f"the judge accepted **{holes.clear} of 36** of the AE's random samples" in text
    assert "(your guess: 20)" in text
    assert f"**{walk.clear('vae')} of 12** clear digits through the VAE and **{walk.clear('ae')} of 12**" in text
    assert f"clear cells: AE **{pools['ae']:.0%}**, VAE **{pools['vae']:.0%}**" in text
    assert text.count("not shown in this session yet") == 2  # the cloud and the KL dial were skipped


def test_the_recap_keeps_the_numbers_as_they_were_shown_not_as_they_would_be_now(labs):
    at = lesson(2)
    at = guess(at, 3)
    shown = demos.random_codes(labs[16], 0).clear
    at.session_state[session.SEED] = 1
    at = go_to(at, 7)
    assert f"**{shown} of 36**" in markdown_text(at)
    assert predict.guess_text(3) in markdown_text(at)


@pytest.mark.parametrize("junk", [None, "drawing", [[1, 2]], np.full((28, 28), np.nan), object(), np.zeros(785)])
def test_anything_but_a_28_by_28_image_is_not_taken_as_a_drawing(junk):
    assert cloud_view.as_image(junk) is None


def test_a_drawing_is_one_image_in_the_unit_range():
    image = cloud_view.as_image(np.full((28, 28), 2.0))
    assert image.shape == (1, 1, 28, 28) and float(image.max()) == 1.0
