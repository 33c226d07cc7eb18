"""Jinja2 templates: every word the user reads. Loaded through bot.render."""
