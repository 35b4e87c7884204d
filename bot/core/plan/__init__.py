"""Reading plans: a server's schedule of sessions, posted once each, on time, with threads.

``times`` (zones, rhythms, the DST rule), ``model`` (plans and sessions), ``store`` (the
tables), ``service`` (what members and moderators do), ``scheduler`` (posting what is due).
"""
