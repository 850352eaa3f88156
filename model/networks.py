"""The two networks of the lesson: a plain Auto-Encoder and a VAE of the same shape.

Both use one MLP encoder/decoder design (784-512-256-d and back). The VAE's encoder
only differs by a second output head for the log-variance, so any difference the class
sees between them comes from the training objective, not from capacity.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

IMAGE_SHAPE = (1, 28, 28)
IMAGE_PIXELS = 28 * 28
DEFAULT_HIDDEN = (512, 256)


def mlp(sizes):
    """Linear layers with ELU between them (none after the last)."""
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2:
            layers.append(nn.ELU())
    return nn.Sequential(*layers)


class Encoder(nn.Module):
    """Image -> one or more d-dimensional heads (AE: the code; VAE: mean and log-variance)."""

    def __init__(self, latent_dim, hidden=DEFAULT_HIDDEN, heads=1):
        super().__init__()
        self.body = nn.Sequential(mlp((IMAGE_PIXELS, *hidden)), nn.ELU())
        self.heads = nn.ModuleList(nn.Linear(hidden[-1], latent_dim) for _ in range(heads))

    def forward(self, x):
        h = self.body(x.reshape(x.shape[0], IMAGE_PIXELS))
        return tuple(head(h) for head in self.heads)


class Decoder(nn.Module):
    """Code -> Bernoulli logits for the 784 pixels."""

    def __init__(self, latent_dim, hidden=DEFAULT_HIDDEN):
        super().__init__()
        self.net = mlp((latent_dim, *reversed(hidden), IMAGE_PIXELS))

    def forward(self, z):
        return self.net(z).reshape(z.shape[0], *IMAGE_SHAPE)


class AutoEncoder(nn.Module):
    kind = "ae"

    def __init__(self, latent_dim, hidden=DEFAULT_HIDDEN):
        super().__init__()
        self.latent_dim = int(latent_dim)
        self.hidden = tuple(int(h) for h in hidden)
        self.encoder = Encoder(latent_dim, hidden, heads=1)
        self.decoder = Decoder(latent_dim, hidden)
        self.metadata = {}

    def encode(self, x):
        return self.encoder(x)[0]

    def decode_logits(self, z):
        return self.decoder(z)

    def decode(self, z):
        """Bernoulli means in [0, 1], shape [N, 1, 28, 28]."""
        return torch.sigmoid(self.decoder(z))

    def loss(self, x):
        """Per-batch mean of the reconstruction BCE (nats per image); returns (loss, parts)."""
        logits = self.decode_logits(self.encode(x))
        recon = bernoulli_nll(logits, x).mean()
        return recon, {"recon": recon.item()}


class VAE(AutoEncoder):
    kind = "vae"

    def __init__(self, latent_dim, hidden=DEFAULT_HIDDEN):
        super().__init__(latent_dim, hidden)
        self.encoder = Encoder(latent_dim, hidden, heads=2)

    def posterior(self, x):
        """Parameters of q(z|x): (mu, logvar), each [N, d]."""
        mu, logvar = self.encoder(x)
        return mu, logvar

    def encode(self, x):
        # The posterior mean: the deterministic code the map and the k-NN test use.
        return self.posterior(x)[0]

    def loss(self, x, beta=1.0):
        """Negative ELBO per image (batch mean), with a KL weight for warm-up."""
        mu, logvar = self.posterior(x)
        z = reparameterize(mu, logvar)
        recon = bernoulli_nll(self.decode_logits(z), x).mean()
        kl = gaussian_kl(mu, logvar).sum(dim=1).mean()
        return recon + beta * kl, {"recon": recon.item(), "kl": kl.item()}


def reparameterize(mu, logvar, generator=None, eps=None):
    """z = mu + sigma * eps with eps ~ N(0, I), so gradients reach mu and logvar through the sample.

    mu/logvar may carry leading sample dimensions; eps (when given) is the noise itself, so a
    page can show the exact numbers that went in.
    """
    if eps is None:
        eps = torch.randn(mu.shape, generator=generator, dtype=mu.dtype, device=mu.device)
    return mu + torch.exp(0.5 * logvar) * eps


def gaussian_kl(mu, logvar):
    """KL(N(mu, sigma^2) || N(0, 1)) per dimension, in nats."""
    return 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar)


def bernoulli_nll(logits, x):
    """-log p(x | logits) summed over pixels, per image (x may be grey: the BCE still applies)."""
    return F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(dim=1)


def gaussian_log_prob(z, mu, logvar):
    """log N(z; mu, diag(exp(logvar))) summed over the last dimension."""
    return -0.5 * (((z - mu) ** 2) / logvar.exp() + logvar + math.log(2 * math.pi)).sum(dim=-1)


NETWORKS = {"ae": AutoEncoder, "vae": VAE}


def build(kind, latent_dim, hidden=DEFAULT_HIDDEN):
    if kind not in NETWORKS:
        raise ValueError(f"unknown model kind {kind!r}; expected one of {sorted(NETWORKS)}")
    return NETWORKS[kind](latent_dim, hidden)


@torch.inference_mode()
def codes_of(net, images, batch_size=5000):
    """Codes of a batch of images [N,1,28,28] -> [N, d] (VAE: posterior means)."""
    return torch.cat([net.encode(x) for x in images.split(batch_size)])


@torch.inference_mode()
def decode_batched(net, z, batch_size=5000):
    """[N, d] -> [N,1,28,28] Bernoulli means, a batch at a time."""
    return torch.cat([net.decode(zb) for zb in z.split(batch_size)])


def decoder_layers(net):
    """The decoder as plain float32 arrays [(weight [out, in], bias [out]), ...]: ELU between the
    layers, sigmoid after the last. What a browser needs to decode a z itself (ui/explorer)."""
    modules = list(net.decoder.net)
    linear = [m for m in modules if isinstance(m, nn.Linear)]
    if [type(m) for m in modules] != ([nn.Linear, nn.ELU] * len(linear))[:-1]:
        raise ValueError("decoder_layers expects Linear layers with ELU between them")
    return [(m.weight.detach().float().numpy().copy(), m.bias.detach().float().numpy().copy()) for m in linear]
