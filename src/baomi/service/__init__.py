"""The secrecy office's service: `create_app(settings)` in app.py, one folder per domain
(checks, holds, incidents, policies, users, auditlog), each with models (tables), schemas
(pydantic in/out), service (the logic, usable without HTTP) and views (thin routes).
See docs/service.md."""
