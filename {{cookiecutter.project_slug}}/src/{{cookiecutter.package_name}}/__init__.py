"""A Keras Classics project: a classic network, its data, and everything to train and study it.

Start with ../../README.md; the settings are in ../../config.yaml.
"""
