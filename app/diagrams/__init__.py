"""Server-side BPMN 2.0 diagrams: SVG drawn from the file's diagram interchange, no JavaScript."""

from .model import DiagramError
from .svg import STATES, Diagram, render_diagrams

__all__ = ["STATES", "Diagram", "DiagramError", "render_diagrams"]
