"""Messages that leave the system: the outbox worker (delivery.py) and its transports (transports.py)."""
