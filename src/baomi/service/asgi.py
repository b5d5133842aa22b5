"""The worker entry point of `baomi serve`: settings from the parent, no second bootstrap."""

from __future__ import annotations

import json
import os

from fastapi import FastAPI

from baomi.service.settings import Settings

SETTINGS_ENV = "_BAOMI_SERVE_SETTINGS"


def worker_app() -> FastAPI:
    from baomi.console.routes import router as console
    from baomi.service.app import create_app
    from baomi.service.ops import configure_logging

    settings = Settings.model_validate(json.loads(os.environ[SETTINGS_ENV]))
    configure_logging(settings.log_level)
    return create_app(settings, prepare=False, routers=(console,))
