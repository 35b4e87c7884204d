"""Discord-facing helpers shared by the extensions; none of these modules is an extension.

``render``: replies as data (embeds, text, buttons) that the cogs and the console
both show. ``views``: sending a reply through Discord and the view behind its
buttons. ``errors``: the message a member sees for a failure.
"""
