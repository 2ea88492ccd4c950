"""The suite-level commands (run, doctor, config, store); each tool's commands live in its package."""
