"""Domain logic shared by handlers, the scheduler and the CLI: one package per domain."""
