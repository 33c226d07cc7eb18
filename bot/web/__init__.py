"""`lateral-screener serve`: one ASGI application (Starlette on uvicorn) for the Telegram webhook,
the recruiter dashboard and the applicant's web channel.

Modules: app (the factory that mounts route lists), keys (SECRET_KEY), signing (tokens, signed
values, CSRF), headers (security headers), forms (small url-encoded bodies), pages (HTML from
templates/web), serve (the command), and one module per group of routes: applicant (the web
channel; chat renders its messages, anonymous holds its cookie), sign_in, dashboard.
"""
