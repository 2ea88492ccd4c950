"""changcheng deps scan."""
