"""The bot's own messages: notices outside a conversation, quotas, retention."""
