"""The reading plan on Discord: ``/plan``, ``/plan-admin``, and the timer that posts sessions.

Split as theticketbot splits a feature: ``cog`` (commands), ``timer`` (the timer task and
the Discord side of posting), ``actions`` (what each command answers, shared with the
console) and ``render`` (embeds).
"""

from bot.exts.plan.cog import setup

__all__ = ["setup"]
