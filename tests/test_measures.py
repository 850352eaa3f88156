"""The measures behind the app's claims, and the judge's calibration."""

import numpy as np
import pytest
import torch

from model import load_model
from model.calibrate import expected_calibration_error, fit_temperature, reliability_table
from model.judge import classify, feature_distance, judge_outputs, set_reference
from model.measures import nearest_code_distance, neighbour_share, typical_spacing, verdict_grid
from tests.conftest import CHECKPOINTS


def test_distances_are_in_units_of_the_typical_spacing():
    codes = np.array([[x, 0.0] for x in range(100)])  # codes 1 apart on a line
    assert typical_spacing(codes) == pytest.approx(1.0)
    d = nearest_code_distance([[50.0, 0.0], [50.5, 0.0], [50.0, 3.0], [-10.0, 0.0]], codes)
    assert d == pytest.approx([0.0, 0.5, 3.0, 10.0])
    assert nearest_code_distance([[0.0, 2.0]], codes * 2)[0] == pytest.approx(1.0)  # spacing 2: 2 units = 1


def test_the_neighbour_test_tells_apart_draws_from_elsewhere_and_not_draws_from_the_same_place():
    rng = np.random.default_rng(0)
    codes = rng.normal(size=(4000, 16))
    same = rng.normal(size=(500, 16))
    elsewhere = rng.normal(size=(500, 16)) * 0.2  # the centre of a 16-D cloud, where no code lives
    assert abs(neighbour_share(same, codes).mean() - 0.5) < 0.08
    assert neighbour_share(elsewhere, codes).mean() < 0.05


def test_a_temperature_fit_recovers_the_temperature_that_made_the_labels():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(20000, 5)) * 3
    true_t = 2.0
    probs = torch.softmax(torch.from_numpy(logits) / true_t, dim=1).numpy()
    labels = np.array([rng.choice(5, p=p) for p in probs])
    assert fit_temperature(logits, labels) == pytest.approx(true_t, rel=0.08)
    assert expected_calibration_error(probs, labels) < 0.02
    assert expected_calibration_error(torch.softmax(torch.from_numpy(logits), 1).numpy(), labels) > 0.1


def test_a_reliability_table_covers_every_image_once():
    probs = np.array([[0.95, 0.05], [0.55, 0.45], [0.15, 0.85], [0.5, 0.5]])
    rows = reliability_table(probs, np.array([0, 1, 1, 0]))
    assert sum(r["share"] for r in rows) == pytest.approx(1.0)
    assert expected_calibration_error(np.array([[1.0, 0.0]] * 4), np.array([0, 0, 0, 0])) == 0


def test_the_shipped_judge_is_calibrated_on_held_out_digits(test_digits):
    """ECE below 1 %: a '96 % sure' verdict is right about 96 % of the time on real digits.
    Measured on the half of the test digits the calibration did not fit on."""
    judge = load_model(CHECKPOINTS / "judge.pt", kind="judge")
    images, labels = test_digits
    probs, _ = judge_outputs(judge, images[5000:])
    assert judge.metadata["calibration"]["temperature"] != 1.0
    assert expected_calibration_error(probs[:, :10] / probs[:, :10].sum(1, keepdims=True), labels[5000:].numpy()) < 0.01
    _, _, calls = classify(judge, images[5000:])
    assert (calls == "clear").mean() > 0.95  # real digits are rarely withheld a clear call


def test_the_judge_says_unsure_or_none_for_noise_and_blends(test_digits):
    judge = load_model(CHECKPOINTS / "judge.pt", kind="judge")
    images, _ = test_digits
    noise = torch.rand(200, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    blends = 0.5 * images[:200] + 0.5 * images[200:400]
    assert (classify(judge, noise)[2] == "clear").mean() < 0.02
    assert (classify(judge, blends)[2] == "clear").mean() < (classify(judge, images[:200])[2] == "clear").mean()


def test_a_verdict_grid_has_one_call_per_cell_with_the_top_row_at_the_largest_y():
    judge = load_model(CHECKPOINTS / "judge.pt", kind="judge")
    vae = load_model(CHECKPOINTS / "vae-z2.pt", kind="vae")
    grid = verdict_grid(vae, judge, (-3, 3), (-3, 3), 6)
    assert grid.calls.shape == (6, 6) and set(np.unique(grid.calls)) <= {"clear", "unsure", "none"}
    top_left = vae.decode(torch.tensor([[-3.0, 3.0]]))
    assert grid.labels[0, 0] == classify(judge, top_left)[0][0]
    assert 0 <= grid.share() <= 1


def test_the_feature_distance_follows_a_new_reference(tiny_judge, test_digits):
    """The inverse covariance is kept between calls: a new reference must not reuse the old one's."""
    import copy

    judge = copy.deepcopy(tiny_judge)
    images = test_digits[0][:300]
    _, feats = judge_outputs(judge, images[:5])

    def direct():
        cov = judge.ref_cov.numpy()
        centred = feats - judge.ref_mean.numpy()
        precision = np.linalg.inv(cov + 1e-6 * np.eye(len(cov)))
        return np.sqrt(np.clip(np.einsum("ij,jk,ik->i", centred, precision, centred), 0, None))

    before = feature_distance(judge, feats)
    assert np.allclose(before, direct())
    set_reference(judge, images[100:])
    after = feature_distance(judge, feats)
    assert np.allclose(after, direct()) and not np.allclose(after, before)
