import numpy as np
import pytest
import torch

from model.latent import (dims_by_usage, ellipse_points, fit_gaussian, fit_projection, gaussian_samples, grid_axis,
                          lerp, manifold_grid, map_view, normal_ppf, prior_samples, slerp)


@pytest.fixture
def codes16():
    rng = np.random.default_rng(0)
    return rng.standard_normal((500, 16)) * np.linspace(3, 0.1, 16) + 0.5


def test_identity_projection_for_2d():
    p = fit_projection(np.random.default_rng(0).standard_normal((50, 2)))
    z = np.array([[0.3, -1.2]])
    assert np.allclose(p.forward(z), z) and np.allclose(p.inverse(z), z)
    assert p.axis_titles == ("z₁", "z₂")


def test_pca_inverse_of_forward_lands_back_on_the_plane(codes16):
    p = fit_projection(codes16)
    plane = p.forward(codes16)
    back = p.inverse(plane)
    assert np.allclose(p.forward(back), plane)  # projecting again changes nothing
    point = np.array([[1.5, -0.7]])
    assert np.allclose(p.forward(p.inverse(point)), point)
    assert np.allclose(p.components @ p.components.T, np.eye(2))
    assert p.explained[0] >= p.explained[1] > 0
    assert "PC1" in p.axis_titles[0]


def test_pca_is_deterministic_in_sign(codes16):
    assert np.allclose(fit_projection(codes16).components, fit_projection(codes16.copy()).components)


def test_vae_grid_has_equal_prior_mass_per_cell():
    xs = grid_axis("vae", None, 20)
    cdf = 0.5 * (1 + torch.erf(torch.from_numpy(xs) / np.sqrt(2))).numpy()
    assert np.allclose(np.diff(cdf), 1 / 20)
    assert np.allclose(xs, -xs[::-1])


def test_ae_grid_spans_the_codes():
    values = np.linspace(-10, 30, 1001)
    xs = grid_axis("ae", values, 5)
    assert xs[0] == pytest.approx(np.percentile(values, 1)) and xs[-1] == pytest.approx(np.percentile(values, 99))


def test_manifold_grid_shapes_and_order(codes16):
    p = fit_projection(codes16)
    points, xs, ys = manifold_grid("vae", p.forward(codes16), 7, p)
    assert points.shape == (49, 16)
    plane = p.forward(points)
    assert plane[0, 1] == pytest.approx(ys.max()) and plane[0, 0] == pytest.approx(xs.min())  # top-left first


def test_map_view_holds_the_points_and_respects_the_slider_limit():
    rng = np.random.default_rng(0)
    points = rng.standard_normal((5000, 2)) * [1.0, 4.0]
    (x0, x1), (y0, y1) = map_view(points)
    inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    assert inside.mean() >= 0.998 and x0 < -3 and x1 > 3
    (x0, x1), (y0, y1) = map_view(points, limit=3.0)
    assert y0 == -3.0 and y1 == 3.0 and -3.0 <= x0 < x1 <= 3.0


def test_dims_by_usage():
    assert dims_by_usage([0.1, 3.0, 0.0, 1.5]) == [1, 3, 0, 2]


def test_prior_samples_repeat_with_the_seed():
    assert torch.equal(prior_samples(5, 3, seed=7), prior_samples(5, 3, seed=7))
    assert not torch.equal(prior_samples(5, 3, seed=7), prior_samples(5, 3, seed=8))


def test_gaussian_samples_follow_the_fit():
    rng = np.random.default_rng(1)
    codes = rng.multivariate_normal([5, -3], [[4, 1], [1, 2]], size=20000)
    mean, cov = fit_gaussian(codes)
    z = gaussian_samples(prior_samples(20000, 2, seed=0), mean, cov).numpy()
    assert np.allclose(z.mean(0), [5, -3], atol=0.1)
    assert np.allclose(np.cov(z, rowvar=False), cov, atol=0.15)


def test_normal_ppf():
    assert normal_ppf(0.5) == pytest.approx(0) and normal_ppf(0.975) == pytest.approx(1.959964, rel=1e-5)


def test_interpolation_endpoints_and_norm():
    z0, z1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 2.0])
    for walk in (lerp, slerp):
        path = walk(z0, z1, 11)
        assert path.shape == (11, 2)
        assert torch.allclose(path[0], z0) and torch.allclose(path[-1], z1, atol=1e-6)
    mid = slerp(torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0]), 3)[1]
    assert mid.norm().item() == pytest.approx(1.0, abs=1e-6)  # stays on the sphere
    assert torch.allclose(slerp(z0, z0, 4), lerp(z0, z0, 4))  # degenerate: no NaN


def test_a_diagonal_gaussian_seen_on_the_plane(codes16):
    variances = np.linspace(0.01, 1.0, 16)
    assert np.allclose(fit_projection(codes16[:, :2]).covariance(variances[:2]), np.diag(variances[:2]))
    projection = fit_projection(codes16)
    cov = projection.covariance(variances)
    draws = np.random.default_rng(0).normal(size=(200_000, 16)) * np.sqrt(variances) + 0.3
    assert np.allclose(np.cov(projection.forward(draws), rowvar=False), cov, atol=0.01)  # the shadow, exactly


def test_ellipse_points_lie_at_the_given_number_of_sigmas():
    cov = np.array([[2.0, 0.8], [0.8, 0.5]])
    for radius in (1, 2):
        points = ellipse_points([1.0, -2.0], cov, radius, n=40)
        offsets = points - [1.0, -2.0]
        mahalanobis = np.sqrt(np.einsum("ni,ij,nj->n", offsets, np.linalg.inv(cov), offsets))
        assert points.shape == (40, 2) and np.allclose(mahalanobis, radius)
