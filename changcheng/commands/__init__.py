"""One module per ``hucheng changcheng`` subcommand; mounted lazily by ``changcheng.cli``."""
