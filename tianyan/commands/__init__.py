"""One module per ``hucheng tianyan`` subcommand; mounted lazily by ``tianyan.cli``."""
