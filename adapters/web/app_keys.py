"""What the aiohttp application carries for its route handlers.

A leaf module: any handler module can read ``request.app[SERVICES]`` without
importing adapters.web.server, which imports the handlers to mount them.
"""

from __future__ import annotations

from aiohttp import web

from adapters.services import Services

SERVICES = web.AppKey("services", Services)
