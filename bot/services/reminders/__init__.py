"""What is due when, and the ticks that queue it once per key."""
