"""Broker backends, chosen by URL scheme and imported only when used."""
