"""People, their roles and how they sign in."""
