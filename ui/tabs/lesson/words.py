"""The precise terms behind the lesson's plain words: shown one click away (help= tooltips)."""

from model.data import DEFAULT_DATASET
from ui.nouns import nouns

BELL_CURVE = ("The standard normal distribution N(0, I): in every direction of the space, numbers near 0 are "
              "likely and numbers beyond ±2 are rare. 'I' (the identity) means the directions are independent, "
              "each with spread 1.")
CODE = "The latent vector z: the encoder's output, the decoder's input."
def judge(w):
    """w: the data set's words (ui.nouns.Nouns)."""
    return (f"A separate {w.item} classifier (a small CNN trained on {w.real}). 'Clear' means its top class has "
            f"calibrated probability ≥ 90 % and the image is not unlike every real {w.item}.")


JUDGE = judge(nouns(DEFAULT_DATASET))
NEIGHBOUR_TEST = ("A k-nearest-neighbour two-sample test (Schilling 1986): mix the random codes with as many real "
                  "codes; if both came from the same region, about half of each point's 10 nearest neighbours "
                  "are real codes. It needs no 2-D picture, so it also works in 16-D.")
CLOUD = ("The approximate posterior q(z | x) = N(μ, σ²): the encoder outputs a mean μ (the centre) and a standard "
         "deviation σ (the spread) for every direction.")
REPARAMETERIZE = ("The reparameterisation trick: z = μ + σ · ε with ε drawn from N(0, I), so the sample is a "
                  "function of the encoder's outputs and training can adjust them.")
KL_TERM = ("The Kullback–Leibler divergence KL(q(z | x) ‖ N(0, I)): how far the encoder's cloud for one image is "
           "from the bell curve. The VAE's loss is reconstruction error + β · KL; the plain VAE has β = 1.")
LATENT_SIZE = ("The latent size is how many numbers a code has. 16-D pictures show a flat view (the two main "
               "directions, PCA) of a 16-number space.")
PCA = "Principal component analysis: the two directions along which the codes vary most."
