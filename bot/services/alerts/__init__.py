"""What officers must hear of: alert rules and households' requests for help."""
