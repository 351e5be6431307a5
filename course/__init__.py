"""One Voice, 1958: the package the lessons import."""

__version__ = "0.1.0"
