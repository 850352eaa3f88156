import numpy as np
import pytest
import torch
from torch.distributions import Normal, kl_divergence

from model.networks import VAE, AutoEncoder, build, decoder_layers, gaussian_kl, reparameterize


@pytest.mark.parametrize("kind", ["ae", "vae"])
@pytest.mark.parametrize("dim", [2, 16])
def test_shapes(kind, dim):
    net = build(kind, dim)
    x = torch.rand(5, 1, 28, 28)
    z = net.encode(x)
    assert z.shape == (5, dim)
    out = net.decode(z)
    assert out.shape == (5, 1, 28, 28)
    assert 0 <= out.min() and out.max() <= 1
    if kind == "vae":
        mu, logvar = net.posterior(x)
        assert mu.shape == logvar.shape == (5, dim)
        assert torch.equal(net.encode(x), mu)  # encode = posterior mean


def test_same_architecture():
    ae, vae = AutoEncoder(16), VAE(16)
    ae_shapes = {k: v.shape for k, v in ae.state_dict().items()}
    vae_shapes = {k: v.shape for k, v in vae.state_dict().items()}
    # The VAE has exactly one extra head (log-variance); everything else is identical.
    assert {k: s for k, s in vae_shapes.items() if not k.startswith("encoder.heads.1")} == ae_shapes


def test_analytic_kl_matches_torch_distributions():
    torch.manual_seed(0)
    mu, logvar = torch.randn(64, 16), torch.randn(64, 16)
    expected = kl_divergence(Normal(mu, torch.exp(0.5 * logvar)), Normal(0.0, 1.0))
    assert torch.allclose(gaussian_kl(mu, logvar), expected, atol=1e-5)


def test_kl_is_zero_at_the_prior():
    assert gaussian_kl(torch.zeros(3, 4), torch.zeros(3, 4)).abs().max() == 0


def test_gradients_flow_through_reparameterisation():
    mu = torch.zeros(8, 4, requires_grad=True)
    logvar = torch.zeros(8, 4, requires_grad=True)
    reparameterize(mu, logvar).pow(2).sum().backward()
    assert mu.grad is not None and mu.grad.abs().sum() > 0
    assert logvar.grad is not None and logvar.grad.abs().sum() > 0


def test_vae_loss_backpropagates_to_both_heads():
    torch.manual_seed(0)
    vae = VAE(4, hidden=(32, 16))
    loss, parts = vae.loss(torch.rand(10, 1, 28, 28).bernoulli())
    loss.backward()
    for head in vae.encoder.heads:
        assert head.weight.grad.abs().sum() > 0
    assert parts["kl"] > 0 and parts["recon"] > 0


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown model kind"):
        build("gan", 2)


@pytest.mark.parametrize("kind", ["ae", "vae"])
def test_decoder_layers_reproduce_decode(kind):
    """The plain arrays the browser decodes with give the network's own output."""
    torch.manual_seed(0)
    net = build(kind, 16)
    z = torch.randn(5, 16)
    h = z.numpy().astype(np.float64)
    layers = decoder_layers(net)
    for i, (weight, bias) in enumerate(layers):
        h = h @ weight.T.astype(np.float64) + bias
        if i < len(layers) - 1:
            h = np.where(h > 0, h, np.expm1(h))  # ELU
    expected = net.decode(z).detach().numpy().reshape(5, -1)
    assert [w.shape for w, _ in layers] == [(256, 16), (512, 256), (784, 512)]
    assert np.allclose(1 / (1 + np.exp(-h)), expected, atol=1e-5)
