"""Plans out of poverty and the livelihood activities they rest on (issue 17).

A domain of its own beside the ledger: the activity catalogue (``activities.toml``), the
tags that tie diary entries to activities, each household's plan and its progress, and
the evidence across households of which activities pay.
"""
