"""Containers: ``client.containers``, `Container`, and the keywords that create them."""
