"""Who is who and who may see what: areas, officers, households, chat accounts."""
