"""The machinery beneath every domain: the connection and its one send path, the API
version, discovery, the mapping of failures onto `podman_sdk._exceptions`, JSON
streams, filters and the generated client bound to the connection."""
