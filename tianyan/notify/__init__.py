"""Routing, grouping, silences, inhibition, templates, the outbox and the channels."""
