"""Tianyan (天眼): monitoring and alerting — checks, alert rules, routing and delivery."""
