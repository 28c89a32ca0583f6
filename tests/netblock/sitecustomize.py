"""Loaded by every Python subprocess the tests start (via PYTHONPATH): refuses any
internet socket, so a CLI run that tried the network would fail loudly."""
import socket

_real_socket = socket.socket


class _NoNetworkSocket(_real_socket):
    def __init__(self, family=socket.AF_INET, *args, **kwargs):
        if family in (socket.AF_INET, socket.AF_INET6):
            raise OSError("network access attempted during kodeklar tests")
        super().__init__(family, *args, **kwargs)


socket.socket = _NoNetworkSocket
