"""Latent Lab's models: pure PyTorch, no UI.

`load_model` is the one way to load a checkpoint (app, CLIs, tests, outside scripts).
"""

from model.checkpoint import CheckpointError, load_model, save_checkpoint
from model.data import DATASETS, checkpoint_dir
from model.drawing import DrawingError, prepare_drawing, prepare_photo  # noqa: F401  (issue #12)

__all__ = ["CheckpointError", "DATASETS", "checkpoint_dir", "load_model", "save_checkpoint"]
