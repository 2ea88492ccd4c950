"""changcheng secrets scan."""
