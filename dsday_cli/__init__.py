"""dsday: track a province's National Digital Transformation Day plan."""

__version__ = "0.1.0"
