"""Loading .lego.yml: schema, bricks, matrix expansion, expressions, validation, graphs."""
