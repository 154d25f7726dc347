"""Operating a running bot: its health, its metrics (served by `sinhke run`), backups,
the daily clean-up of old message texts, and the start-up checks of `sinhke check`."""
