"""Linkage groups (issue 19): households of an area that learn from each other through
the bot: membership by consent, sharing, the members' figures, group meetings."""
