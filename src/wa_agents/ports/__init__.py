"""Ports: the Protocols the domain needs from the outside world, one concern per module.

Every port states its contract in its module docstring. Adapters in ``wa_agents.adapters``
implement them; ``wa_agents.testing`` holds the contract suite that proves an adapter.
"""
