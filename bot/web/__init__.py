"""`lateral-screener serve`: one ASGI application (Starlette on uvicorn) for the Telegram webhook,
the recruiter dashboard and, later, the applicant's web channel.

Modules: app (the factory that mounts route lists), keys (SECRET_KEY), signing (tokens, signed
values, CSRF), headers (security headers), forms (small url-encoded bodies), pages (HTML from
templates/web), serve (the command), and one module per group of routes.
"""
