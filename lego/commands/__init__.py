"""One module per ``hucheng lego`` subcommand; mounted lazily by ``lego.cli``."""
