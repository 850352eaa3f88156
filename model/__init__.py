"""Latent Lab's models: pure PyTorch, no UI.

`load_model` is the one way to load a checkpoint (app, CLIs, tests, outside scripts).
"""

from model.checkpoint import CheckpointError, load_model, save_checkpoint

__all__ = ["CheckpointError", "load_model", "save_checkpoint"]
