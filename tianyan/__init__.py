"""Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery."""

# hucheng.config's schema imports tianyan.config, and tianyan's config modules import
# hucheng.config.section: loading hucheng.config first makes that cycle resolve whichever tianyan
# module is imported first (a library user importing tianyan.config directly, a test, ...).
import hucheng.config  # noqa: F401
