"""Cueline: a subtitle and transcript editor."""

__version__ = "0.1.0"
