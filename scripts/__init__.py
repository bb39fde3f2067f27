"""Extraction and build scripts for the data package (run from the repository root as ``python -m scripts.NAME``)."""
